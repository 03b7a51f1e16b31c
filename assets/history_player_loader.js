// The history player's script (the files of PLAYER_SCRIPTS in
// pages/shared/history_player.py, one module) served as a file of the app's static
// folder: the browser fetches it once and keeps it, instead of receiving it inside each
// of the player's elements on every rerun (history_player.py puts the file's address in
// place of __PLAYER_URL__).
const player = import(new URL(__PLAYER_URL__, window.location.href).href);

export default function (component) {
  let cleanup = null;
  let gone = false;
  player
    .then((module) => {
      if (!gone) cleanup = module.default(component) || null;
    })
    .catch((error) => console.error("history player:", error));
  return () => {
    gone = true;
    if (typeof cleanup === "function") cleanup();
  };
}
