export { render } from './render';
export { EXTERNAL_LINK_REL } from './html-policy';
export { EXCERPT_MAX_CHARS } from './excerpt';
