// "Copy link": the link to what is on screen, shown in a text field and copied on a click.
//
// The link is the page's own address: the app keeps the URL's query equal to what is on
// screen (pages/shared/link.py:sync_link). This button sits outside the page's fragment,
// so the query the server sent may be older than the URL; it is only the fallback. The clipboard API needs a
// secure context (https or localhost): a classroom server on a LAN address is not one,
// so copying falls back to selecting the field and document.execCommand("copy"). The
// link is always shown too, selected when the field is clicked, to copy by hand.
//
// data: {query: "?data=...", label: "Copy link"}

function linkFor(fallbackQuery) {
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${search || fallbackQuery}`;
}

// Show the current link: when the pointer or focus comes, and every second while the
// field is not being read.
function refresh(box) {
  const field = box.querySelector("input");
  const link = linkFor(box.__gmmQuery || "");
  if (field.value !== link) {
    field.value = link;
    box.querySelector("span").textContent = "";
  }
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
  box.addEventListener("pointerenter", () => refresh(box));
  box.addEventListener("focusin", () => refresh(box));
  const timer = setInterval(() => {
    if (!box.isConnected) clearInterval(timer);
    else if (document.activeElement !== field) refresh(box);
  }, 1000);
  button.addEventListener("click", async () => {
    refresh(box);
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
  box.__gmmQuery = data.query;
  refresh(box);
}
