/* Capture errors first, so that the self-test can report them. */
window.__kgErrors = [];
window.addEventListener("error", function (e) {
  var t = e.target && e.target !== window && e.target.tagName ? " <" + e.target.tagName + ">" : "";
  window.__kgErrors.push(String(e.message || "resource error") + t +
    (e.filename ? " @" + e.filename + ":" + e.lineno : ""));
}, true);
window.addEventListener("unhandledrejection", function (e) {
  window.__kgErrors.push("unhandled rejection: " + String(e.reason));
});
(function () {
  var orig = console.error;
  console.error = function () {
    window.__kgErrors.push(Array.prototype.map.call(arguments, String).join(" "));
    return orig.apply(console, arguments);
  };
})();
