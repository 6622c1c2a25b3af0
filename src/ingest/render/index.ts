export { render } from './render';
export { EXTERNAL_LINK_REL } from './sanitize';
export { EXCERPT_MAX_CHARS } from './excerpt';
