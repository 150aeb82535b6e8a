// Owns the OSC 52 "set clipboard" sequence. Fire-and-forget: terminals (and tmux by default) may drop it,
// which is why the keys are always printed as well.

export function osc52(text: string): string {
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  return `\u001B]52;c;${b64}\u0007`;
}
