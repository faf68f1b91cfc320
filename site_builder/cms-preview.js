// The editors' interface (/admin/): what Decap CMS cannot be told in config.yml.
// build.py prepends `var SITE_PREVIEW = {stylesheets: [...]}`, the site's own
// stylesheets, so that the preview pane looks like the site.
/* global CMS, createClass, h, SITE_PREVIEW */
(function () {
  "use strict";

  SITE_PREVIEW.stylesheets.forEach(function (href) { CMS.registerPreviewStyle(href); });

  function text(entry, key) {
    var value = entry.getIn(["data", key]);
    return value == null ? "" : String(value);
  }

  // A quote reference is written <source-slug>#<quote-id>; Decap's relation
  // widget stores one field of another entry, never two joined, so this
  // picker lists every quote of every source and stores the pair.
  var QuoteControl = createClass({
    getInitialState: function () { return { options: null }; },
    componentDidMount: function () {
      var self = this;
      var collection = this.props.field.get("collection");
      this.props.query(this.props.forID, collection, ["title"], "").then(function (result) {
        var options = [];
        (result.payload.hits || []).forEach(function (hit) {
          (hit.data.quotes || []).forEach(function (quote) {
            var words = String(quote.text || "").replace(/\s+/g, " ");
            options.push({
              value: hit.slug + "#" + quote.id,
              label: (hit.data.title || hit.slug) + ": “" + (words.length > 90 ? words.slice(0, 89) + "…" : words) + "”",
            });
          });
        });
        options.sort(function (a, b) { return a.label.localeCompare(b.label); });
        self.setState({ options: options });
      });
    },
    render: function () {
      var props = this.props;
      var value = props.value || "";
      var options = this.state.options || [];
      var known = options.some(function (o) { return o.value === value; });
      var choices = [h("option", { key: "", value: "" }, this.state.options ? "Choose a quote…" : "Loading the sources’ quotes…")];
      if (value && !known) choices.push(h("option", { key: value, value: value }, value));
      options.forEach(function (o) { choices.push(h("option", { key: o.value, value: o.value }, o.label)); });
      return h("select", {
        id: props.forID,
        className: props.classNameWrapper,
        value: value,
        onChange: function (event) { props.onChange(event.target.value); },
        onFocus: props.setActiveStyle,
        onBlur: props.setInactiveStyle,
      }, choices);
    },
  });
  var QuotePreview = createClass({
    render: function () { return h("span", {}, this.props.value || ""); },
  });
  CMS.registerWidget("quote-reference", QuoteControl, QuotePreview);

  // A claim in the preview pane is laid out as on its page, with the site's classes.
  var ClaimPreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var verdict = text(entry, "verdict");
      var field = this.props.collection.get("fields").find(function (f) { return f.get("name") === "verdict"; });
      var option = field && field.get("options").find(function (o) { return o.get("value") === verdict; });
      return h("main", { id: "main" },
        h("article", { className: "record claim" },
          h("header", { className: "record-header" },
            h("p", { className: "eyebrow" }, "Fact-check"),
            h("h1", {}, text(entry, "claim")),
            h("p", { className: "byline" }, "Claimed by " + text(entry, "claimant") + " on " + text(entry, "date"))),
          h("section", { className: "verdict-panel" },
            h("h2", { className: "panel-heading" }, "Our verdict"),
            h("p", {}, h("span", { className: "verdict verdict-large" },
              h("span", { className: "verdict-label" }, option ? option.get("label") : verdict))),
            h("p", { className: "summary" }, text(entry, "summary"))),
          h("section", { className: "analysis" },
            h("h2", {}, "Analysis"),
            h("div", {}, this.props.widgetFor("analysis")))));
    },
  });
  CMS.registerPreviewTemplate("claims", ClaimPreview);
})();
