/* Search-as-you-type for the officer pick lists of /manage/ (select[data-picker]).
   Progressive enhancement: the select stays the form's field and works without this script; the
   script only adds a search box above it that hides the options not matching what is typed.
   Matching ignores accents and case ("dak" finds "Đắk"; đ is mapped to d, as Unicode does not
   decompose it) and every typed word must appear: "kim 4312" finds A Kim of service number …4312. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function enhance(select) {
    var blank = Array.prototype.filter.call(select.options, function (o) { return o.value === ""; });
    var options = Array.prototype.slice.call(select.options).filter(function (o) { return o.value !== ""; });
    var folded = options.map(function (o) { return fold(o.text); });
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.autocomplete = "off";
    box.placeholder = select.dataset.pickerPlaceholder || "";
    box.setAttribute("aria-label", select.dataset.pickerPlaceholder || "");
    if (select.id) { box.setAttribute("aria-controls", select.id); box.id = select.id + "-search"; }
    var status = document.createElement("span");
    status.className = "picker-status muted small";
    status.setAttribute("aria-live", "polite");
    var wrap = document.createElement("div");
    wrap.className = "picker";
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(box);
    wrap.appendChild(select);
    wrap.appendChild(status);

    function filter() {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var shown = [];
      options.forEach(function (option, i) {
        var match = words.every(function (w) { return folded[i].indexOf(w) !== -1; });
        option.hidden = !match;
        option.disabled = !match;  // hidden options can still be picked with the keyboard in some browsers
        if (match) { shown.push(option); }
      });
      // The "---------" choice is for the plain select; while searching it would take a row of the list.
      blank.forEach(function (o) { o.hidden = words.length > 0; });
      if (!words.length) {
        select.size = 0;
        select.classList.remove("picker-open");
        status.textContent = "";
        return;
      }
      // While searching the select is a short list, so the matches show without opening it.
      select.size = Math.max(2, Math.min(8, shown.length));
      select.classList.add("picker-open");
      var template = select.dataset.pickerCount || "{count} / {total}";
      status.textContent = template.replace("{count}", shown.length).replace("{total}", options.length);
      var current = select.options[select.selectedIndex];
      if (shown.length && (!current || current.hidden || current.value === "")) {
        shown[0].selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select.focus(); }
      // Enter in the box picks the first match rather than submitting a half-chosen form.
      if (event.key === "Enter" && box.value) { event.preventDefault(); select.focus(); }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-picker]"), enhance);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
