/**
 * Leaflet takes HTML for labels, tooltips and attributions; text from settings or data goes through this first,
 * so it shows as text and never as markup or script.
 */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
