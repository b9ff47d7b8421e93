// Show only the detail the chosen meeting mode needs: an address, a link or a phone number.
(function () {
  const mode = document.querySelector("select[name=mode]");
  if (!mode) return;
  const detail = { on_site: "address", online: "meeting_url", phone: "phone" };
  function sync() {
    for (const [value, name] of Object.entries(detail)) {
      const field = document.getElementById("div_id_" + name);
      if (field) field.parentElement.hidden = mode.value !== value;
    }
  }
  mode.addEventListener("change", sync);
  sync();
})();
