"""Read and validate IP audit questionnaire files (YAML or JSON).

The file shape is documented at the top of questionnaires/default.yaml. parse_questionnaire()
reports every problem at once, each starting with where it is (list indices count from 0).
"""

import json
import re
from operator import itemgetter
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from clinic.dimensions import Dimension

MAX_FILE_BYTES = 1024 * 1024
FORMATS = {".yaml": "YAML", ".yml": "YAML", ".json": "JSON"}
LANGUAGES = ("en", "zh-hans")
QUESTION_TYPES = ("yes_no", "maturity", "number", "text")
REQUIRED_BY_DEFAULT = ("yes_no", "maturity")
MATURITY_LEVEL_COUNT = 5
KEY_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
KEY_MAX_LENGTH = 50
VERSION_MAX_LENGTH = 20
TOP_LEVEL_KEYS = ("version", "title", "sections")
SECTION_KEYS = ("dimension", "questions")
QUESTION_KEYS = ("key", "type", "required", "text", "help", "levels")
DEFAULT_FILE = Path(__file__).resolve().parent / "questionnaires" / "default.yaml"

_MISSING = object()


class QuestionnaireFileError(ValueError):
    """A questionnaire file cannot be used; `problems` lists every reason."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def parse_questionnaire(content, filename):
    """Validate a questionnaire file and return it normalised, sections in dimension order.

    Raises QuestionnaireFileError listing every problem found.
    """
    problems = []
    questionnaire = _questionnaire(_load(content, filename), problems)
    if problems:
        raise QuestionnaireFileError(problems)
    questionnaire["sections"].sort(key=itemgetter("dimension"))
    return questionnaire


def load_default_questionnaire():
    return parse_questionnaire(DEFAULT_FILE.read_bytes(), DEFAULT_FILE.name)


class _StrictYamlLoader(yaml.SafeLoader):
    """Safe YAML that also rejects aliases (no expansion bombs) and duplicate mapping keys."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="aliases are not allowed", problem_mark=mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            if (key_node.tag, key_node.value) in seen:
                problem = f"duplicate key {key_node.value!r}"
                raise yaml.MarkedYAMLError(problem=problem, problem_mark=key_node.start_mark)
            seen.add((key_node.tag, key_node.value))
        return super().construct_mapping(node, deep=deep)


class _DuplicateJsonKey(ValueError):
    pass


def _unique_json_object(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateJsonKey(key)
        result[key] = value
    return result


def _load(content, filename):
    raw = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    file_format = FORMATS.get(Path(filename).suffix.lower())
    problems = []
    if file_format is None:
        message = _("%(name)s: the file name must end in .yaml, .yml or .json")
        problems.append(message % {"name": filename})
    if len(raw) > MAX_FILE_BYTES:
        message = _("The file is %(size)d bytes; the limit is %(limit)d bytes.")
        problems.append(message % {"size": len(raw), "limit": MAX_FILE_BYTES})
    else:
        text = _decode(raw, problems)
    if problems:
        raise QuestionnaireFileError(problems)
    return _parse(text, file_format)


def _decode(raw, problems):
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("The file is not UTF-8 text (invalid byte at position %(position)d).")
        problems.append(message % {"position": error.start})
        return ""


def _parse(text, file_format):
    try:
        if file_format == "JSON":
            return json.loads(text, object_pairs_hook=_unique_json_object)
        return yaml.load(text, Loader=_StrictYamlLoader)
    except _DuplicateJsonKey as error:
        message = _("Not valid JSON: duplicate key %(key)s.")
        problem = message % {"key": json.dumps(error.args[0], ensure_ascii=False)}
    except RecursionError:
        problem = _("Not valid %(format)s: nested too deeply.") % {"format": file_format}
    except json.JSONDecodeError as error:
        problem = _syntax_problem("JSON", error.lineno, error.colno, error.msg)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        detail = getattr(error, "problem", None) or str(error)
        if mark is None:
            problem = _("Not valid YAML: %(error)s") % {"error": detail}
        else:
            problem = _syntax_problem("YAML", mark.line + 1, mark.column + 1, detail)
    raise QuestionnaireFileError([problem])


def _syntax_problem(file_format, line, column, detail):
    message = _("Not valid %(format)s at line %(line)d, column %(column)d: %(error)s")
    return message % {"format": file_format, "line": line, "column": column, "error": detail}


def _questionnaire(data, problems):
    if not isinstance(data, dict):
        problems.append(_("The file must contain a mapping with version, title and sections."))
        return None
    _unknown_keys(data, TOP_LEVEL_KEYS, "", problems)
    return {
        "version": _version(data.get("version", _MISSING), problems),
        "title": _bilingual(data.get("title", _MISSING), "title", problems),
        "sections": _sections(data.get("sections", _MISSING), problems),
    }


def _version(value, problems):
    version = _string(value, "version", problems)
    if len(version) > VERSION_MAX_LENGTH:
        message = _("%(where)s must be at most %(limit)d characters")
        problems.append(message % {"where": "version", "limit": VERSION_MAX_LENGTH})
    return version


def _sections(value, problems):
    sections, dimensions_seen, keys_seen = [], {}, {}
    for index, item in enumerate(_list(value, "sections", problems)):
        section = _section(item, f"sections[{index}]", keys_seen, problems)
        if section is None:
            continue
        sections.append(section)
        if section["dimension"] is not None:
            where = f"sections[{index}].dimension"
            _check_unique(section["dimension"], where, dimensions_seen, problems)
    for dimension in Dimension.values:
        if dimension not in dimensions_seen:
            message = _("%(where)s: dimension %(dimension)d is missing")
            problems.append(message % {"where": "sections", "dimension": dimension})
    return sections


def _section(value, where, keys_seen, problems):
    section = _mapping(value, where, SECTION_KEYS, problems)
    if section is None:
        return None
    dimension = _dimension(section.get("dimension", _MISSING), f"{where}.dimension", problems)
    items = _list(section.get("questions", _MISSING), f"{where}.questions", problems)
    questions = [
        _question(item, f"{where}.questions[{index}]", keys_seen, problems)
        for index, item in enumerate(items)
    ]
    questions = [question for question in questions if question is not None]
    if not any(question["type"] == "maturity" for question in questions):
        message = _("%(where)s: a section needs at least one maturity question")
        problems.append(message % {"where": f"{where}.questions"})
    return {"dimension": dimension, "questions": questions}


def _dimension(value, where, problems):
    if isinstance(value, int) and not isinstance(value, bool) and value in Dimension.values:
        return value
    message = _("%(where)s must be a whole number from %(first)d to %(last)d")
    _report(value, where, message, problems, first=Dimension.values[0], last=Dimension.values[-1])
    return None


def _question(value, where, keys_seen, problems):
    question = _mapping(value, where, QUESTION_KEYS, problems)
    if question is None:
        return None
    key = _key(question.get("key", _MISSING), f"{where}.key", keys_seen, problems)
    question_type = _question_type(question.get("type", _MISSING), f"{where}.type", problems)
    required = question.get("required", question_type in REQUIRED_BY_DEFAULT)
    return {
        "key": key,
        "type": question_type,
        "required": _boolean(required, f"{where}.required", problems),
        "text": _bilingual(question.get("text", _MISSING), f"{where}.text", problems),
        "help": _help(question, where, problems),
        "levels": _levels(question, question_type, where, problems),
    }


def _question_type(value, where, problems):
    if value in QUESTION_TYPES:
        return value
    message = _("%(where)s must be one of %(types)s")
    _report(value, where, message, problems, types=", ".join(QUESTION_TYPES))
    return None


def _key(value, where, keys_seen, problems):
    if isinstance(value, str) and KEY_PATTERN.fullmatch(value) and len(value) <= KEY_MAX_LENGTH:
        _check_unique(value, where, keys_seen, problems)
        return value
    message = _(
        "%(where)s must be snake_case (lowercase letters, digits and single underscores, "
        "starting with a letter) and at most %(limit)d characters"
    )
    _report(value, where, message, problems, limit=KEY_MAX_LENGTH)
    return ""


def _help(question, where, problems):
    if "help" not in question:
        return dict.fromkeys(LANGUAGES, "")
    return _bilingual(question["help"], f"{where}.help", problems)


def _levels(question, question_type, where, problems):
    where = f"{where}.levels"
    value = question.get("levels", _MISSING)
    if question_type != "maturity":
        if value is not _MISSING and question_type is not None:
            problems.append(_("%(where)s: only maturity questions have levels") % {"where": where})
        return []
    if isinstance(value, list) and len(value) != MATURITY_LEVEL_COUNT:
        message = _(
            "%(where)s: a maturity question needs exactly %(expected)d levels, found %(count)d"
        )
        values = {"where": where, "expected": MATURITY_LEVEL_COUNT, "count": len(value)}
        problems.append(message % values)
    levels = _list(value, where, problems)
    return [_bilingual(level, f"{where}[{index}]", problems) for index, level in enumerate(levels)]


def _bilingual(value, where, problems):
    mapping = _mapping(value, where, LANGUAGES, problems)
    if mapping is None:
        return dict.fromkeys(LANGUAGES, "")
    return {
        language: _string(mapping.get(language, _MISSING), f"{where}.{language}", problems)
        for language in LANGUAGES
    }


def _mapping(value, where, allowed_keys, problems):
    """The value if it is a mapping (reporting keys not allowed), else None after reporting it."""
    if isinstance(value, dict):
        _unknown_keys(value, allowed_keys, where, problems)
        return value
    _report(value, where, _("%(where)s must be a mapping"), problems)
    return None


def _unknown_keys(mapping, allowed_keys, where, problems):
    for key in mapping:
        if key not in allowed_keys:
            path = f"{where}.{key}" if where else str(key)
            problems.append(_("%(where)s is not a known key") % {"where": path})


def _list(value, where, problems):
    if isinstance(value, list):
        return value
    _report(value, where, _("%(where)s must be a list"), problems)
    return []


def _string(value, where, problems):
    if isinstance(value, str) and value.strip():
        return value.strip()
    _report(value, where, _("%(where)s must be a non-empty string"), problems)
    return ""


def _boolean(value, where, problems):
    if isinstance(value, bool):
        return value
    problems.append(_("%(where)s must be true or false") % {"where": where})
    return False


def _check_unique(value, where, first_seen, problems):
    if value in first_seen:
        message = _("%(where)s: %(value)s is already used at %(first)s")
        problems.append(message % {"where": where, "value": value, "first": first_seen[value]})
    else:
        first_seen[value] = where


def _report(value, where, message, problems, **values):
    """Report a bad value: as missing when it is absent, else with the given message."""
    if value is _MISSING:
        message = _("%(where)s is missing")
    problems.append(message % {"where": where, **values})
