// Quota rule form: show only the value field of the chosen dimension (area, size or region).
(function () {
  "use strict";
  var dimension = document.getElementById("id_dimension");
  if (!dimension) return;
  var fields = {green_area: "area", size_class: "size", region: "region"};
  function show() {
    Object.keys(fields).forEach(function (key) {
      var wrapper = document.getElementById("div_id_" + fields[key]);
      if (wrapper) wrapper.parentElement.hidden = dimension.value !== key;
    });
  }
  dimension.addEventListener("change", show);
  show();
})();
