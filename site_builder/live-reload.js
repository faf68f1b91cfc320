// Live reload for `build.py serve`. The preview server adds this script to each
// page as it sends it; it is never part of a built site.
//
// The server's event stream says which build to show ("reload", a build id)
// and, while the content has errors, what they are ("errors": JSON with their
// `total` and the first of them as `path:line:col: error: message` lines). A page reloads when the build id
// differs from the one it was served with (unless a "followed" event says the
// new build changed other pages only); errors are shown over the last
// good page until a build succeeds. The pages' CSP allows no inline style,
// so the overlay is styled through element.style, which CSP does not govern.
(() => {
  "use strict";

  let servedBuild = document.currentScript ? document.currentScript.dataset.build : "";
  // A rebuild reloads pages once its edited records' pages are written; its later parts (the
  // search index refreshed, the site-wide pages) follow as later builds, each with the pages it
  // changed: only those reload again. The server sends them all, oldest first.
  let followed = [];
  const here = location.pathname.replace(/index\.html$/, "");
  let overlay = null;
  let focusBefore = null;

  function connect() {
    const events = new EventSource("/__livereload");
    events.addEventListener("followed", (event) => {
      followed = JSON.parse(event.data);
    });
    events.addEventListener("reload", (event) => {
      if (event.data === servedBuild) {
        return;
      }
      let current = servedBuild;
      // A part names the pages it changed, or (the rebuild's first part, while the search index is
      // refreshed) those it left alone.
      for (const part of followed) {
        const left = part.changed ? !part.changed.includes(here) : part.unchanged.includes(here);
        if (part.since === current && left) {
          current = part.build;
        }
      }
      if (current === event.data) {
        servedBuild = current; // this page did not change since the build it shows
        return;
      }
      location.reload();
    });
    events.addEventListener("errors", (event) => showErrors(JSON.parse(event.data)));
    events.addEventListener("error", () => {
      // The browser retries by itself unless the server answered with
      // something other than an event stream; then start over.
      if (events.readyState === EventSource.CLOSED) {
        setTimeout(connect, 1000);
      }
    });
  }

  function styled(tag, style, text) {
    const element = document.createElement(tag);
    Object.assign(element.style, style);
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  function showErrors({ total, errors }) {
    const wasOpen = overlay !== null;
    hideErrors(false);
    focusBefore = wasOpen ? focusBefore : document.activeElement;
    overlay = styled("div", {
      position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
      background: "rgba(0, 0, 0, 0.55)", padding: "1rem", boxSizing: "border-box",
    });
    const dialog = styled("section", {
      maxWidth: "60rem", margin: "0 auto", padding: "1rem 1.25rem", borderRadius: "6px",
      background: "#fff", color: "#1a1a1a", borderTop: "6px solid #b00020",
      font: "16px/1.5 system-ui, sans-serif", boxShadow: "0 4px 24px rgba(0, 0, 0, 0.4)",
    });
    // Messages and paths are English and left-to-right whatever the page's language.
    dialog.lang = "en";
    dialog.dir = "ltr";
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", "livereload-errors-title");
    dialog.setAttribute("aria-describedby", "livereload-errors-list");
    const count = `${total} content error${total === 1 ? "" : "s"}`;
    const title = styled("h2", { margin: "0 0 0.5rem", fontSize: "1.25rem", color: "#b00020" }, count);
    title.id = "livereload-errors-title";
    const note = styled("p", { margin: "0 0 0.75rem" },
      "The site was not rebuilt; below is the last good build. Fix the files and save: this page reloads by itself.");
    const list = styled("ul", { margin: "0 0 1rem", padding: "0", listStyle: "none" });
    list.id = "livereload-errors-list";
    for (const error of errors) {
      const item = styled("li", {
        margin: "0 0 0.5rem", padding: "0.5rem", background: "#f6f6f6", borderRadius: "4px",
        font: "14px/1.4 ui-monospace, monospace", whiteSpace: "pre-wrap", overflowWrap: "anywhere",
      }, error);
      list.append(item);
    }
    const hide = styled("button", {
      font: "inherit", padding: "0.25rem 1rem", border: "2px solid #1a1a1a", borderRadius: "4px",
      background: "#fff", color: "#1a1a1a", cursor: "pointer",
    }, "Hide");
    hide.type = "button";
    hide.addEventListener("click", () => hideErrors(true));
    dialog.append(title, note, list);
    if (total > errors.length) {
      dialog.append(styled("p", { margin: "0 0 1rem" }, `… and ${total - errors.length} more: see the terminal.`));
    }
    dialog.append(hide);
    overlay.append(dialog);
    overlay.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        hideErrors(true);
      }
    });
    document.body.append(overlay);
    hide.focus();
  }

  function hideErrors(restoreFocus) {
    if (overlay === null) {
      return;
    }
    overlay.remove();
    overlay = null;
    if (restoreFocus && focusBefore && typeof focusBefore.focus === "function") {
      focusBefore.focus();
    }
  }

  connect();
})();
