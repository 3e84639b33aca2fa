// The code editor: a textarea where Tab indents, Esc then Tab leaves, Ctrl/Cmd+Enter submits.

const INDENT = "    ";

export function enhanceEditor(textarea, onSubmit) {
  let leaving = false; // after Esc, Tab moves the focus on as usual
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSubmit();
    } else if (event.key === "Escape") {
      leaving = true;
    } else if (event.key === "Tab" && !event.shiftKey && !leaving && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      textarea.setRangeText(INDENT, textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    } else {
      leaving = false;
    }
  });
}
