// The explorer's readout: one line of text, announced politely by screen
// readers, with the numbers as data attributes (data-eps, data-risk, ...) for
// scripts and tests.
//
// It also gives the explorer's sliders what ipywidgets leaves out: an
// accessible name (aria-label on the slider handle) and a spoken value rounded
// as the slider shows it (aria-valuetext), e.g. "0.350", not 0.3499999999999999.
// PageUp/PageDown move the first slider by 10 % of its range (noUiSlider's
// own page is five steps).  While the explorer snaps, the keys on that slider
// walk the snap stops (model "stops"): arrows to the next stop,
// PageUp/PageDown 10 % of the range to the stop beyond, Home/End to the ends.

function render({ model, el }) {
  el.setAttribute("role", "status");
  el.setAttribute("aria-live", "polite");
  el.setAttribute("aria-atomic", "true");
  const text = document.createElement("span");
  text.className = "advot-readout-text";
  el.appendChild(text);
  let keys = [];

  function update() {
    text.textContent = model.get("text");
    for (const key of keys) delete el.dataset[key];
    const data = model.get("data") || {};
    keys = Object.keys(data);
    for (const key of keys) el.dataset[key] = String(data[key]);
  }
  update();
  model.on("change:text", update);
  model.on("change:data", update);

  // -- the sliders of the same explorer (siblings in its box) ---------------
  let box = null;
  function label() {
    if (!box) return;
    const names = model.get("slider_labels") || [];
    box.querySelectorAll(".widget-slider").forEach((slider, i) => {
      const handle = slider.querySelector(".noUi-handle");
      if (!handle) return;
      if (i < names.length && handle.getAttribute("aria-label") !== names[i]) {
        handle.setAttribute("aria-label", names[i]);
      }
      const shown = slider.querySelector(".widget-readout");
      const value = shown ? (shown.textContent || "").trim() : "";
      if (value && handle.getAttribute("aria-valuetext") !== value) {
        handle.setAttribute("aria-valuetext", value);
        handle.setAttribute("aria-valuenow", value);
      }
    });
  }
  function onKey(event) {
    const stops = model.get("stops") || [];
    const handle = event.target.closest ? event.target.closest(".noUi-handle") : null;
    if (!handle || handle !== box.querySelector(".widget-slider .noUi-handle")) return;
    const slider = handle.closest(".noUi-target");
    const api = slider && slider.noUiSlider; // noUiSlider's public API on its element
    if (!api) return;
    const now = Number(api.get());
    if (!stops.length) {
      if (event.key !== "PageUp" && event.key !== "PageDown") return;
      const range = api.options.range;
      const page = 0.1 * (range.max - range.min);
      event.preventDefault();
      event.stopPropagation();
      api.set(Math.min(range.max, Math.max(range.min, now + (event.key === "PageUp" ? page : -page))));
      return;
    }
    const last = stops.length - 1;
    const page = 0.1 * (stops[last] - stops[0]);
    const tiny = 1e-9 * (stops[last] - stops[0] || 1);
    const above = (x) => { const i = stops.findIndex((s) => s > x + tiny); return i < 0 ? last : i; };
    const below = (x) => { let i = last; while (i > 0 && stops[i] >= x - tiny) i--; return i; };
    let i;
    switch (event.key) {
      case "ArrowRight": case "ArrowUp": i = above(now); break;
      case "ArrowLeft": case "ArrowDown": i = below(now); break;
      case "PageUp": i = above(now + page - 2 * tiny); break;
      case "PageDown": i = below(now - page + 2 * tiny); break;
      case "Home": i = 0; break;
      case "End": i = last; break;
      default: return;
    }
    event.preventDefault();
    event.stopPropagation(); // noUiSlider's own step does not apply
    if (stops[i] !== now) api.set(stops[i]);
  }

  let observer = null;
  let tries = 0;
  function attach() {
    box = el.closest(".advot-explorer");
    if (!box) { // not in the page yet
      if (++tries < 300) setTimeout(attach, 50);
      return;
    }
    label();
    box.addEventListener("keydown", onKey, true);
    observer = new MutationObserver(label);
    observer.observe(box, { subtree: true, childList: true, characterData: true,
                            attributes: true, attributeFilter: ["aria-valuetext"] });
  }
  attach();
  model.on("change:slider_labels", label);
  return () => {
    if (observer) observer.disconnect();
    if (box) box.removeEventListener("keydown", onKey, true);
  };
}

export default { render };
