import json
from pathlib import Path

import pytest
import yaml

from clinic.questionnaire_files import (
    DEFAULT_FILE,
    MAX_FILE_BYTES,
    QuestionnaireFileError,
    load_default_questionnaire,
    parse_questionnaire,
)

DATA = Path(__file__).parent / "data"


def default_data():
    """The bundled file as plain YAML data, to be broken on purpose."""
    return yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))


def as_yaml(data):
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def problems_of(content, filename="questionnaire.yaml"):
    with pytest.raises(QuestionnaireFileError) as caught:
        parse_questionnaire(content, filename)
    return caught.value.problems


def all_questions(questionnaire):
    return [question for section in questionnaire["sections"] for question in section["questions"]]


def minimal_data():
    level = {"en": "Level", "zh-hans": "级别"}
    return {
        "version": "test",
        "title": {"en": "Test", "zh-hans": "测试"},
        "sections": [
            {
                "dimension": dimension,
                "questions": [
                    {
                        "key": f"maturity_{dimension}",
                        "type": "maturity",
                        "text": {"en": "How mature?", "zh-hans": "成熟度如何？"},
                        "levels": [dict(level) for _ in range(5)],
                    },
                    {
                        "key": f"amount_{dimension}",
                        "type": "number",
                        "text": {"en": "How much?", "zh-hans": "多少？"},
                    },
                ],
            }
            for dimension in range(11, 0, -1)
        ],
    }


def test_default_questionnaire_version_and_title_are_bilingual():
    questionnaire = load_default_questionnaire()

    assert questionnaire["version"] == "2026.1"
    assert questionnaire["title"] == {
        "en": "IP audit questionnaire for green-technology SMEs",
        "zh-hans": "绿色技术中小企业知识产权审计问卷",
    }


def test_default_questionnaire_has_one_section_per_dimension():
    sections = load_default_questionnaire()["sections"]

    assert [section["dimension"] for section in sections] == list(range(1, 12))


def test_default_questionnaire_sections_have_four_to_six_questions():
    counts = [len(section["questions"]) for section in load_default_questionnaire()["sections"]]

    assert [count for count in counts if not 4 <= count <= 6] == []
    assert sum(counts) == 57


def test_default_questionnaire_sections_have_maturity_and_yes_no_questions():
    sections = load_default_questionnaire()["sections"]
    types = {
        section["dimension"]: {question["type"] for question in section["questions"]}
        for section in sections
    }

    assert [
        dimension for dimension, kinds in types.items() if not {"maturity", "yes_no"} <= kinds
    ] == []


def test_default_questionnaire_texts_are_in_both_languages():
    texts = []
    for question in all_questions(load_default_questionnaire()):
        texts += [question["text"], *question["levels"]]
        if question["help"]["en"] or question["help"]["zh-hans"]:
            texts.append(question["help"])

    assert [text for text in texts if not (text["en"] and text["zh-hans"])] == []
    assert [text for text in texts if text["en"] == text["zh-hans"]] == []


def test_default_questionnaire_number_and_text_questions_are_optional():
    required = {
        (question["type"], question["required"])
        for question in all_questions(load_default_questionnaire())
    }

    assert required == {("yes_no", True), ("maturity", True), ("number", False), ("text", False)}


def test_parse_json_equivalent_gives_same_dict():
    content = json.dumps(default_data(), ensure_ascii=False)

    assert parse_questionnaire(content, "default.json") == load_default_questionnaire()


def test_parse_yml_text_gives_same_dict():
    content = DEFAULT_FILE.read_text(encoding="utf-8")

    assert parse_questionnaire(content, "DEFAULT.YML") == load_default_questionnaire()


def test_parse_fills_defaults_and_sorts_sections():
    questionnaire = parse_questionnaire(as_yaml(minimal_data()), "minimal.yaml")

    assert [section["dimension"] for section in questionnaire["sections"]] == list(range(1, 12))
    assert questionnaire["sections"][0]["questions"][1] == {
        "key": "amount_1",
        "type": "number",
        "required": False,
        "text": {"en": "How much?", "zh-hans": "多少？"},
        "help": {"en": "", "zh-hans": ""},
        "levels": [],
    }
    assert questionnaire["sections"][0]["questions"][0]["required"] is True


def test_parse_missing_dimension_is_reported():
    data = default_data()
    del data["sections"][6]

    assert problems_of(as_yaml(data)) == ["sections: dimension 7 is missing"]


def test_parse_repeated_dimension_is_reported_with_first_use():
    data = default_data()
    data["sections"][10]["dimension"] = 3

    assert problems_of(as_yaml(data)) == [
        "sections[10].dimension: 3 is already used at sections[2].dimension",
        "sections: dimension 11 is missing",
    ]


def test_parse_duplicate_question_key_is_reported_with_first_use():
    data = default_data()
    data["sections"][4]["questions"][2]["key"] = "ip_inventory"

    assert problems_of(as_yaml(data)) == [
        "sections[4].questions[2].key: ip_inventory is already used at sections[1].questions[0].key"
    ]


def test_parse_key_not_snake_case_is_reported():
    data = default_data()
    data["sections"][0]["questions"][1]["key"] = "IP-Responsible"

    assert problems_of(as_yaml(data)) == [
        "sections[0].questions[1].key must be snake_case (lowercase letters, digits and single "
        "underscores, starting with a letter) and at most 50 characters"
    ]


def test_parse_bad_question_type_is_reported():
    data = default_data()
    data["sections"][2]["questions"][0]["type"] = "scale"

    assert problems_of(as_yaml(data)) == [
        "sections[2].questions[0].type must be one of yes_no, maturity, number, text"
    ]


def test_parse_missing_chinese_text_is_reported():
    data = default_data()
    del data["sections"][3]["questions"][1]["text"]["zh-hans"]
    data["sections"][3]["questions"][3]["help"]["zh-hans"] = "  "

    assert problems_of(as_yaml(data)) == [
        "sections[3].questions[1].text.zh-hans is missing",
        "sections[3].questions[3].help.zh-hans must be a non-empty string",
    ]


def test_parse_wrong_number_of_levels_is_reported():
    data = default_data()
    data["sections"][0]["questions"][0]["levels"].pop()

    assert problems_of(as_yaml(data)) == [
        "sections[0].questions[0].levels: a maturity question needs exactly 5 levels, found 4"
    ]


def test_parse_levels_on_yes_no_question_are_reported():
    data = default_data()
    data["sections"][0]["questions"][1]["levels"] = [
        {"en": "Level", "zh-hans": "级别"} for _ in range(5)
    ]

    assert problems_of(as_yaml(data)) == [
        "sections[0].questions[1].levels: only maturity questions have levels"
    ]


def test_parse_section_without_maturity_question_is_reported():
    data = default_data()
    del data["sections"][5]["questions"][0]

    assert problems_of(as_yaml(data)) == [
        "sections[5].questions: a section needs at least one maturity question"
    ]


def test_parse_required_not_boolean_and_unknown_keys_are_reported():
    data = default_data()
    data["author"] = "someone"
    data["sections"][1]["questions"][1]["required"] = "yes"
    data["sections"][1]["questions"][1]["text"]["fr"] = "Oui ?"

    assert problems_of(as_yaml(data)) == [
        "author is not a known key",
        "sections[1].questions[1].required must be true or false",
        "sections[1].questions[1].text.fr is not a known key",
    ]


def test_parse_unquoted_version_is_reported():
    content = DEFAULT_FILE.read_text(encoding="utf-8").replace(
        'version: "2026.1"', "version: 2026.1"
    )

    assert problems_of(content) == ["version must be a non-empty string"]


def test_parse_every_problem_in_a_file_is_reported():
    content = (DATA / "questionnaire_many_problems.yaml").read_bytes()

    assert problems_of(content) == [
        "version must be a non-empty string",
        "title.zh-hans is missing",
        "sections[0].questions[0].levels: a maturity question needs exactly 5 levels, found 1",
        "sections[0].questions[1].key: strategy is already used at sections[0].questions[0].key",
        "sections[0].questions[1].type must be one of yes_no, maturity, number, text",
        "sections[0].questions[1].required must be true or false",
        "sections[0].questions[1].text.zh-hans is missing",
        "sections[1].colour is not a known key",
        "sections[1].dimension must be a whole number from 1 to 11",
        "sections[1].questions: a section needs at least one maturity question",
        *[f"sections: dimension {dimension} is missing" for dimension in range(2, 12)],
    ]


def test_parse_broken_yaml_is_reported_with_position():
    content = (DATA / "questionnaire_broken.yaml").read_bytes()

    assert problems_of(content) == [
        "Not valid YAML at line 10, column 1: expected ',' or ']', but got '<stream end>'"
    ]


def test_parse_broken_json_is_reported_with_position():
    assert problems_of('{"version": }', "questionnaire.json") == [
        "Not valid JSON at line 1, column 13: Expecting value"
    ]


def test_parse_duplicate_yaml_key_is_reported():
    content = 'version: "2026.1"\ntitle: {en: A, zh-hans: 甲}\nversion: "2026.2"\n'

    assert problems_of(content) == ["Not valid YAML at line 3, column 1: duplicate key 'version'"]


def test_parse_duplicate_json_key_is_reported():
    content = '{"version": "2026.1", "version": "2026.2"}'

    assert problems_of(content, "questionnaire.json") == [
        'Not valid JSON: duplicate key "version".'
    ]


def test_parse_yaml_alias_is_reported():
    content = "title: &title {en: A, zh-hans: 甲}\nversion: *title\n"

    assert problems_of(content) == ["Not valid YAML at line 2, column 10: aliases are not allowed"]


@pytest.mark.parametrize(("filename", "file_format"), [("q.yaml", "YAML"), ("q.json", "JSON")])
def test_parse_deep_nesting_is_reported(filename, file_format):
    assert problems_of("[" * 100_000, filename) == [f"Not valid {file_format}: nested too deeply."]


def test_parse_not_a_mapping_is_reported():
    assert problems_of("- 2026.1\n") == [
        "The file must contain a mapping with version, title and sections."
    ]


def test_parse_not_utf8_is_reported():
    content = 'version: "2026.1"\ntitle: café\n'.encode("latin-1")

    assert problems_of(content) == ["The file is not UTF-8 text (invalid byte at position 28)."]


def test_parse_too_big_file_is_reported():
    content = b"#" * (MAX_FILE_BYTES + 1)

    assert problems_of(content) == ["The file is 1048577 bytes; the limit is 1048576 bytes."]


def test_parse_unsupported_file_name_is_reported():
    content = DEFAULT_FILE.read_bytes()

    assert problems_of(content, "questionnaire.txt") == [
        "questionnaire.txt: the file name must end in .yaml, .yml or .json"
    ]
