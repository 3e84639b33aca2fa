// Renders every operation of the two OpenAPI documents as plain HTML (no framework, no
// inline script: the Content-Security-Policy allows scripts of this origin only).
"use strict";

const DOCUMENTS = [
  ["Query API (reads)", "/api/query/openapi.json"],
  ["Command API (writes)", "/api/command/openapi.json"],
];

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function schemaText(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  return JSON.stringify(schema);
}

function operation(path, method, op) {
  const section = element("section", undefined, { class: "operation" });
  section.append(element("h3", `${method.toUpperCase()} ${path}`));
  if (op.summary) section.append(element("p", op.summary));
  if (op.description) section.append(element("p", op.description));
  const parameters = op.parameters || [];
  if (parameters.length) {
    const list = element("ul");
    for (const p of parameters) {
      const required = p.required ? "required" : "optional";
      list.append(element("li", `${p.name} (${p.in}, ${required}): ${schemaText(p.schema)}`));
    }
    section.append(element("h4", "Parameters"), list);
  }
  const body = op.requestBody && op.requestBody.content;
  if (body) {
    section.append(element("h4", "Body"));
    for (const [type, content] of Object.entries(body)) {
      section.append(element("p", `${type}: ${schemaText(content.schema)}`));
    }
  }
  const answers = element("ul");
  for (const [status, response] of Object.entries(op.responses || {})) {
    answers.append(element("li", `${status}: ${response.description || ""}`));
  }
  section.append(element("h4", "Answers"), answers);
  return section;
}

async function render() {
  const root = document.getElementById("apis");
  root.textContent = "";
  for (const [title, url] of DOCUMENTS) {
    const part = element("article");
    part.append(element("h2", title));
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      const doc = await response.json();
      for (const [path, methods] of Object.entries(doc.paths || {})) {
        for (const [method, op] of Object.entries(methods)) part.append(operation(path, method, op));
      }
      const schemas = (doc.components && doc.components.schemas) || {};
      if (Object.keys(schemas).length) {
        part.append(element("h3", "Schemas"));
        for (const [name, schema] of Object.entries(schemas)) {
          part.append(element("h4", name), element("pre", JSON.stringify(schema, null, 2)));
        }
      }
    } catch (error) {
      part.append(element("p", `Could not load ${url}: ${error}`));
    }
    root.append(part);
  }
}

document.addEventListener("DOMContentLoaded", render);
