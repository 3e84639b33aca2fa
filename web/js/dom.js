// Building page content from data: elements and text nodes only, never HTML strings.

/** el("p", {class: "note"}, "text", child, ...): strings become text nodes. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

export function show(node, visible = true) {
  node.hidden = !visible;
}

/** Put a sentence (an ApiError's detail or any message) in an alert region and show it. */
export function alertText(node, message) {
  node.textContent = message;
  show(node, Boolean(message));
}

export function showPoints(progress) {
  const points = document.getElementById("points");
  if (points && progress) points.textContent = `${progress.points} points`;
}
