// "Copy link": the link to what is on screen, shown in a text field and copied on a click.
//
// The server sends the query string (pages/shared/link.py); the page's own address gives
// the rest, so the link is the one the browser would open. The clipboard API needs a
// secure context (https or localhost): a classroom server on a LAN address is not one,
// so copying falls back to selecting the field and document.execCommand("copy"). The
// link is always shown too, selected when the field is clicked, to copy by hand.
//
// data: {query: "?data=...", label: "Copy link"}

function linkFor(query) {
  const { origin, pathname } = window.location;
  return `${origin}${pathname}${query}`;
}

function copyByHand(field) {
  field.focus();
  field.select();
  try {
    return document.execCommand("copy");
  } catch (error) {
    return false;
  }
}

async function copy(field) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(field.value);
      return true;
    } catch (error) {
      // fall through: select the field and copy the old way
    }
  }
  return copyByHand(field);
}

function build(parentElement) {
  const box = document.createElement("div");
  box.className = "gmm-copy-link";
  box.style.cssText = "display:flex;gap:0.5rem;align-items:center;width:100%";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "gmm-copy-link-button";
  button.style.cssText =
    "flex:0 0 auto;padding:0.3rem 0.8rem;border:1px solid rgba(49,51,63,0.3);" +
    "border-radius:0.5rem;background:white;cursor:pointer;font:inherit";
  const field = document.createElement("input");
  field.type = "text";
  field.readOnly = true;
  field.setAttribute("aria-label", "Link to this view");
  field.className = "gmm-copy-link-field";
  field.style.cssText =
    "flex:1 1 auto;min-width:0;padding:0.3rem;border:1px solid rgba(49,51,63,0.2);" +
    "border-radius:0.4rem;font-family:monospace;font-size:0.8rem";
  const said = document.createElement("span");
  said.className = "gmm-copy-link-said";
  said.setAttribute("role", "status");
  said.style.cssText = "flex:0 0 auto;font-size:0.85rem";
  field.addEventListener("focus", () => field.select());
  button.addEventListener("click", async () => {
    const copied = await copy(field);
    said.textContent = copied ? "Copied." : "Select the link and copy it (Ctrl+C).";
  });
  box.append(button, field, said);
  parentElement.appendChild(box);
  return box;
}

export default function ({ parentElement, data }) {
  const box = parentElement.querySelector(".gmm-copy-link") || build(parentElement);
  box.querySelector("button").textContent = data.label;
  const field = box.querySelector("input");
  const link = linkFor(data.query);
  if (field.value !== link) {
    field.value = link;
    box.querySelector("span").textContent = "";
  }
}
