// The explorer's figure in the browser: PNG frames from the kernel drawn on a canvas.
//
// The kernel sends a whole frame ("full") when the figure is laid out anew and
// only the rectangles that changed ("patch") after a control moved.  The first
// frame is part of the widget's state, so the picture shows as soon as the
// cell has run, even while the kernel is still busy with later cells.
// The canvas is an image for assistive technology (role="img" with a label)
// and is never focusable: Tab passes by.  Its width follows the space the page
// gives it (max-width: 100%), and that width is reported to the kernel, which
// lays the figure out again for it.

function decode(view) {
  // view: DataView or ArrayBuffer holding one PNG
  return createImageBitmap(new Blob([view], { type: "image/png" }));
}

function render({ model, el }) {
  el.classList.add("advot-figure");
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  el.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  let painted = Promise.resolve(); // frames are drawn in the order they arrive
  let shown = 0; // serial number of the last frame on screen

  function resize(size) {
    const [width, height, ratio] = size;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    canvas.style.width = width + "px";
    canvas.style.aspectRatio = width + " / " + height;
  }

  function paint(serial, size, rects, buffers, ms) {
    const bitmaps = buffers.map(decode); // decode now, in parallel with earlier draws
    painted = painted.then(async () => {
      const images = await Promise.all(bitmaps);
      if (serial < shown) { images.forEach((b) => b.close()); return; } // stale
      if (size) resize(size);
      if (ms !== undefined && ms !== null) el.dataset.kernelMs = String(ms); // for benchmarks
      rects.forEach(([x, y], i) => { ctx.drawImage(images[i], x, y); images[i].close(); });
      shown = serial;
      el.dataset.frame = String(serial);
    }).catch((err) => console.error("advot figure:", err));
  }

  function label() { canvas.setAttribute("aria-label", model.get("alt") || "figure"); }
  label();
  model.on("change:alt", label);

  // the frame saved in the state: visible before the kernel answers
  const frame = model.get("frame");
  if (frame && frame.byteLength) paint(model.get("serial"), model.get("size"), [[0, 0]], [frame]);
  else resize(model.get("size"));

  model.on("msg:custom", (msg, buffers) => {
    if (msg.type === "full") paint(msg.serial, msg.size, [[0, 0]], buffers, msg.ms);
    else if (msg.type === "patch") paint(msg.serial, null, msg.rects, buffers, msg.ms);
  });

  // report the width the page gives us (and the screen's pixel ratio)
  let timer = null;
  const report = () => {
    const width = Math.floor(el.getBoundingClientRect().width);
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    if (width < 50) return; // hidden
    if (Math.abs(width - model.get("width")) >= 8 || ratio !== model.get("pixel_ratio")) {
      model.set("width", width);
      model.set("pixel_ratio", ratio);
      model.save_changes();
    }
  };
  const observer = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(report, 150); });
  observer.observe(el);
  model.send({ type: "ready" }); // a view that opens later asks for the current frame
  return () => { observer.disconnect(); clearTimeout(timer); };
}

export default { render };
