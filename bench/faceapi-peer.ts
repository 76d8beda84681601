/**
 * The peer we compare against: @vladmandic/face-api (SSD MobileNetV1 + 68 landmarks + ResNet-34
 * descriptor) on @tensorflow/tfjs with the WebAssembly backend, fed the same decoded pixels.
 * Weights are loaded from the package's own files; devDependencies only.
 */
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export interface PeerResult {
  descriptor?: Float32Array;
}

export interface FaceApiPeer {
  backend: string;
  describe(rgb: Uint8Array, width: number, height: number): Promise<PeerResult>;
}

export async function createFaceApiPeer(threads = 1): Promise<FaceApiPeer> {
  register('./tfjs-resolve-hook.mjs', import.meta.url);
  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(`${wasmDir}/`);
  wasm.setThreadsCount?.(threads);
  await tf.setBackend('wasm');
  await tf.ready();
  // face-api's npm package ships only an ESM build that imports tfjs by path.
  const faceapi = await import('@vladmandic/face-api/dist/face-api.esm-nobundle.js' as string);
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  for (const [net, file] of [
    [faceapi.nets.ssdMobilenetv1, 'ssd_mobilenetv1_model'],
    [faceapi.nets.faceLandmark68Net, 'face_landmark_68_model'],
    [faceapi.nets.faceRecognitionNet, 'face_recognition_model'],
  ] as const) {
    const manifest = JSON.parse(readFileSync(path.join(modelDir, `${file}-weights_manifest.json`), 'utf8')) as Array<{ paths: string[]; weights: unknown[] }>;
    const specs = manifest.flatMap((g) => g.weights);
    const buffers = manifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(modelDir, p))));
    const all = Buffer.concat(buffers);
    const weightMap = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), specs as never);
    await net.loadFromWeightMap(weightMap);
  }
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
  return {
    backend: `tfjs ${tf.version_core} ${tf.getBackend()}`,
    async describe(rgb, width, height) {
      const input = tf.tensor3d(rgb, [height, width, 3], 'int32');
      try {
        const result = await faceapi.detectSingleFace(input, options).withFaceLandmarks().withFaceDescriptor();
        return { descriptor: result?.descriptor };
      } finally {
        input.dispose();
      }
    },
  };
}
