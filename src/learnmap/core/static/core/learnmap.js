/* Learnmap's own script: small enhancements only; every page works without it.

   Theme switch: the header's theme form posts to the server, which stores the choice in a
   cookie and renders <html data-theme> on every page (so there is never a flash of the wrong
   theme). With this script the same button switches at once, without a page load. */
(function () {
  "use strict";

  var ORDER = ["", "light", "dark"]; // "" follows the system (prefers-color-scheme)

  function applyTheme(form, theme) {
    var root = document.documentElement;
    var cookie = form.getAttribute("data-theme-cookie") || "learnmap_theme";
    var secure = window.location.protocol === "https:" ? "; secure" : "";
    if (theme) {
      root.setAttribute("data-theme", theme);
      document.cookie = cookie + "=" + theme + "; path=/; max-age=31536000; samesite=lax" + secure;
    } else {
      root.removeAttribute("data-theme");
      document.cookie = cookie + "=; path=/; max-age=0; samesite=lax" + secure;
    }
    var meta = document.querySelector('meta[name="color-scheme"]');
    if (meta) {
      meta.setAttribute("content", theme || "light dark");
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-theme-switch")) {
      return;
    }
    var button = form.querySelector('button[name="theme"]');
    if (!button) {
      return;
    }
    event.preventDefault();
    var theme = button.value;
    applyTheme(form, theme);
    button.value = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
  });
})();
