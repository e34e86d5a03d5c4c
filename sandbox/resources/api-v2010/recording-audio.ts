/** Twilio's WAV recordings are 8 kHz, 16-bit linear PCM; the sandbox writes the same format. */
const SAMPLE_RATE = 8000;
const BYTES_PER_SAMPLE = 2;
/** Long enough to hear and to check, small enough for every test: at most 5 s of tone (80 KiB a channel). */
export const MAX_SANDBOX_AUDIO_SECONDS = 5;
/** One tone per channel, so the two sides of a dual-channel recording can be told apart. */
const TONES_HZ = [440, 660];

/**
 * The media of a simulated recording: a WAV file of a tone per channel, as long as the recording up to
 * MAX_SANDBOX_AUDIO_SECONDS. Channels are interleaved, as in any WAV file.
 */
export function recordingWav(durationSeconds: number, channels: 1 | 2): Buffer {
  const frames = Math.max(1, Math.min(durationSeconds, MAX_SANDBOX_AUDIO_SECONDS)) * SAMPLE_RATE;
  const dataBytes = frames * channels * BYTES_PER_SAMPLE;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(channels, 22);
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * channels * BYTES_PER_SAMPLE, 28);
  wav.writeUInt16LE(channels * BYTES_PER_SAMPLE, 32);
  wav.writeUInt16LE(BYTES_PER_SAMPLE * 8, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (let frame = 0; frame < frames; frame += 1) {
    for (let channel = 0; channel < channels; channel += 1) {
      const tone = TONES_HZ[channel] ?? 440;
      const sample = Math.round(8000 * Math.sin((2 * Math.PI * tone * frame) / SAMPLE_RATE));
      wav.writeInt16LE(sample, 44 + (frame * channels + channel) * BYTES_PER_SAMPLE);
    }
  }
  return wav;
}
