/**
 * The container of a video from its first bytes, to refuse a file the store will not take (it lists
 * MPEG-2, WMV, MOV, FLV, AVI and H.264 MPEG-4) before uploading it. Magic numbers only: whether the
 * streams inside play is the store's business.
 */
export type VideoContainer = 'mp4' | 'mov' | 'avi' | 'wmv' | 'flv' | 'mpeg';

/** The ASF header object GUID (75B22630-668E-11CF-A6D9-00AA0062CE6C) that starts every WMV. */
const ASF_HEADER_GUID = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');
/** Top-level atoms an old QuickTime file may start with when it has no ftyp box. */
const QUICKTIME_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
const MPEG_TS_PACKET = 188;

export function sniffVideoContainer(buf: Buffer): VideoContainer | undefined {
  if (buf.length < 4) return undefined;
  if (buf.length >= 12 && buf.toString('latin1', 4, 8) === 'ftyp') {
    // The major brand says QuickTime ('qt  ') or one of the ISO/MP4 family (isom, mp42, avc1, M4V …).
    return buf.toString('latin1', 8, 12) === 'qt  ' ? 'mov' : 'mp4';
  }
  if (buf.length >= 8 && QUICKTIME_ATOMS.has(buf.toString('latin1', 4, 8))) return 'mov';
  if (
    buf.length >= 12 &&
    buf.toString('latin1', 0, 4) === 'RIFF' &&
    buf.toString('latin1', 8, 12) === 'AVI '
  ) {
    return 'avi';
  }
  if (buf.length >= 16 && buf.subarray(0, 16).equals(ASF_HEADER_GUID)) return 'wmv';
  if (buf[0] === 0x46 && buf[1] === 0x4c && buf[2] === 0x56 && buf[3] === 0x01) return 'flv';
  // MPEG program stream pack header, or an MPEG-1/2 video sequence header.
  if (buf[0] === 0 && buf[1] === 0 && buf[2] === 1 && (buf[3] === 0xba || buf[3] === 0xb3)) return 'mpeg';
  // MPEG transport stream: a 0x47 sync byte at the start of consecutive 188-byte packets.
  if (buf.length > MPEG_TS_PACKET && buf[0] === 0x47 && buf[MPEG_TS_PACKET] === 0x47) return 'mpeg';
  return undefined;
}
