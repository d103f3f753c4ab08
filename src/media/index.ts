export { readImageHeader, readImageHeaderFromBytes, sniffImageFormatFromBytes } from './image-header.js';
export type { ImageHeader } from './types.js';
export { sniffVideoContainer, type VideoContainer } from './video-container.js';
