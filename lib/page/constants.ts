/**
 * Every name Governance Lens puts into a page, in one place. One prefix: `glens`.
 */
export const PREFIX = 'glens';
/** Highlight registry names (CSS.highlights). */
export const HL_GUIDED = 'glens-guided';
export const HL_TERM = 'glens-term';
export const HL_FOCUS = 'glens-focus';
/** The single host element (open shadow root) for the card. */
export const HOST_TAG = 'glens-card-host';
/** Fallback wrapper element where the Highlight API is missing. */
export const WRAP_TAG = 'glens-mark';
/** CSS custom properties the page may use to restyle our highlights. */
export const CSS_VAR_GUIDED_BG = '--glens-guided-bg';
export const CSS_VAR_TERM_LINE = '--glens-term-line';
