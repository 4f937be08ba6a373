// giftwatch: small progressive enhancements. Every page works without this file.
"use strict";
(function () {
  // Article page: a record and its evidence in the text light up together.
  function marksFor(ref) {
    return Array.prototype.filter.call(document.querySelectorAll("mark.hl[data-refs]"), function (mark) {
      return mark.getAttribute("data-refs").split(" ").indexOf(ref) >= 0;
    });
  }
  function setActive(ref, on) {
    marksFor(ref).forEach(function (mark) { mark.classList.toggle("active", on); });
  }
  document.querySelectorAll(".record[data-ref]").forEach(function (card) {
    var ref = card.getAttribute("data-ref");
    ["mouseenter", "focusin"].forEach(function (name) { card.addEventListener(name, function () { setActive(ref, true); }); });
    ["mouseleave", "focusout"].forEach(function (name) { card.addEventListener(name, function () { setActive(ref, false); }); });
  });
  document.querySelectorAll("mark.hl[data-refs]").forEach(function (mark) {
    mark.addEventListener("click", function () {
      var card = document.getElementById(mark.getAttribute("data-refs").split(" ")[0]);
      if (card) { card.focus(); card.scrollIntoView({ block: "nearest" }); }
    });
  });
  // Add articles: extraction takes a few seconds; say so and prevent a second submission.
  var addForm = document.querySelector("form.add-form");
  if (addForm) {
    addForm.addEventListener("submit", function () {
      var wait = document.getElementById("add-wait");
      if (wait) { wait.hidden = false; wait.setAttribute("role", "status"); }
      var button = addForm.querySelector("button[type=submit]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  }
})();
