export interface ImageHeader {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}
