// Just enough of a DOM to render into, and a serializer that escapes every text node,
// so a test can see exactly which elements were created and which text they hold.

class Node {
  constructor(name) {
    this.name = name;
    this.attributes = {};
    this.children = [];
    this.hidden = false;
  }

  append(...nodes) {
    for (const node of nodes) {
      if (node.name === "#fragment") this.children.push(...node.children);
      else this.children.push(typeof node === "string" ? new Text(node) : node);
    }
  }

  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }

  get textContent() {
    return this.children.map((child) => child.textContent).join("");
  }
}

class Text {
  constructor(text) {
    this.name = "#text";
    this.text = String(text);
  }

  get textContent() {
    return this.text;
  }
}

export const fakeDocument = {
  createElement: (name) => new Node(name),
  createTextNode: (text) => new Text(text),
  createDocumentFragment: () => new Node("#fragment"),
};

const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function html(node) {
  if (node.name === "#text") return escape(node.text);
  const inner = node.children.map(html).join("");
  if (node.name === "#fragment") return inner;
  const attributes = Object.entries(node.attributes).map(([k, v]) => ` ${k}="${escape(v)}"`).join("");
  return `<${node.name}${attributes}>${inner}</${node.name}>`;
}

export function elementNames(node, found = new Set()) {
  if (node.name !== "#text" && node.name !== "#fragment") found.add(node.name);
  for (const child of node.children ?? []) elementNames(child, found);
  return found;
}
