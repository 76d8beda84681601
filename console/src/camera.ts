/** Take a selfie with the device camera (getUserMedia), as a JPEG data URL. Nothing leaves the page. */
import { h } from './dom.ts';

export function cameraButton(onPhoto: (dataUrl: string) => void): HTMLElement {
  const video = h('video', { playsinline: true, muted: true, 'aria-label': 'Camera preview' });
  const take = h('button', { type: 'button', hidden: true }, 'Take photo');
  const open = h('button', { type: 'button' }, 'Use camera');
  const box = h('div', { class: 'camera' }, open, take, video);
  video.hidden = true;
  let stream: MediaStream | null = null;
  const stop = () => {
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
    take.hidden = true;
    open.textContent = 'Use camera';
  };
  open.addEventListener('click', async () => {
    if (stream) return stop();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false });
    } catch (err) {
      open.after(h('p', { class: 'error', role: 'alert' }, `The camera is not available: ${(err as Error).message}`));
      return;
    }
    video.srcObject = stream;
    await video.play();
    video.hidden = false;
    take.hidden = false;
    open.textContent = 'Close camera';
    take.focus();
  });
  take.addEventListener('click', () => {
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    onPhoto(canvas.toDataURL('image/jpeg', 0.92));
    stop();
  });
  return box;
}
