/**
 * Browser I/O for attachments: files → data URLs, small thumbnails, frames sampled from a video.
 * (The rules — what may be attached — are in attachments.ts.)
 */
import { frameTimes, MAX_VIDEO_SECONDS, VIDEO_FRAMES, type AttachmentKind } from './attachments.js';
import type { PendingAttachment } from './conversation.js';

export interface Prepared {
  pending: PendingAttachment;
  thumbnail?: string;
  frames?: number;
}

const THUMB_PX = 160;
/** Frames are scaled to this width at most: enough for a vision model, small to send. */
const FRAME_PX = 768;

function readAs(file: Blob, how: 'dataURL' | 'text'): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the file'));
    if (how === 'dataURL') reader.readAsDataURL(file);
    else reader.readAsText(file);
  });
}

function drawScaled(source: CanvasImageSource, width: number, height: number, maxPx: number, type: string): string {
  const scale = Math.min(1, maxPx / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext('2d')?.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL(type, 0.8);
}

async function imageThumbnail(dataUrl: string): Promise<string | undefined> {
  const img = new Image();
  img.src = dataUrl;
  try {
    await img.decode();
  } catch {
    return undefined;
  }
  return drawScaled(img, img.naturalWidth, img.naturalHeight, THUMB_PX, 'image/jpeg');
}

function once(target: EventTarget, event: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The video did not load (${event})`)), timeoutMs);
    target.addEventListener(event, () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
    target.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error('The browser cannot play this video format'));
    }, { once: true });
  });
}

/** Frames at evenly spaced times, as JPEG data URLs; refuses videos over the length limit. */
async function sampleVideo(file: File): Promise<{ frames: string[]; thumbnail: string }> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  video.src = url;
  try {
    await once(video, 'loadedmetadata', 15_000);
    if (!Number.isFinite(video.duration)) {
      // Recorded WebM often has no duration in its header: seeking far makes the browser find it.
      video.currentTime = 1e9;
      await once(video, 'seeked', 15_000);
    }
    if (!Number.isFinite(video.duration) || video.duration <= 0) throw new Error(`Cannot tell how long ${file.name} is; try another format.`);
    if (video.duration > MAX_VIDEO_SECONDS) throw new Error(`${file.name} is ${Math.round(video.duration)} s long; videos may be at most ${MAX_VIDEO_SECONDS / 60} minutes.`);
    const frames: string[] = [];
    for (const t of frameTimes(video.duration, VIDEO_FRAMES)) {
      video.currentTime = t;
      await once(video, 'seeked', 15_000);
      frames.push(drawScaled(video, video.videoWidth, video.videoHeight, FRAME_PX, 'image/jpeg'));
    }
    return { frames, thumbnail: drawScaled(video, video.videoWidth, video.videoHeight, THUMB_PX, 'image/jpeg') };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Reads a file the rules accepted into what the next request carries and what history keeps. */
export async function prepareAttachment(file: File, kind: AttachmentKind): Promise<Prepared> {
  if (kind === 'text') return { pending: { kind, name: file.name, text: await readAs(file, 'text') } };
  if (kind === 'image') {
    const dataUrl = await readAs(file, 'dataURL');
    const thumbnail = await imageThumbnail(dataUrl);
    return { pending: { kind, name: file.name, images: [dataUrl] }, ...(thumbnail ? { thumbnail } : {}) };
  }
  const { frames, thumbnail } = await sampleVideo(file);
  return { pending: { kind, name: file.name, images: frames }, thumbnail, frames: frames.length };
}
