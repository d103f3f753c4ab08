// The container of a referenced video, from its first bytes (the media module knows the magic numbers).
import { open } from 'node:fs/promises';
import { sniffVideoContainer, type VideoContainer } from '../media/index.js';

// Enough for every signature sniffVideoContainer knows (an MPEG transport stream needs two packets).
const HEAD_BYTES = 512;

export async function sniffVideo(path: string): Promise<VideoContainer | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return sniffVideoContainer(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
