/**
 * Microphone and speaker choice through the Voice SDK's audio helper (Device.audio):
 * https://www.twilio.com/docs/voice/sdks/javascript/twiliodevice#deviceaudio. Where the browser cannot
 * send sound to a chosen output (no HTMLMediaElement.setSinkId: Firefox before 116, Safari), the SDK says
 * so in isOutputSelectionSupported and the page says it in a sentence instead of offering a choice.
 */
import type { Device } from '@twilio/voice-sdk';

type AudioHelper = NonNullable<Device['audio']>;

export interface AudioChoiceUi {
  microphone: HTMLSelectElement;
  speaker: HTMLSelectElement;
  speakerNote: HTMLElement;
  note: HTMLElement;
}

export const NO_SPEAKER_CHOICE =
  "This browser can't choose the speaker: calls play through your computer's default sound output.";

/** A device's name, or a numbered one where the browser hides names until the microphone is allowed. */
function deviceName(info: MediaDeviceInfo, index: number, kind: string): string {
  return info.label || `${kind} ${index + 1}`;
}

function fill(
  select: HTMLSelectElement,
  devices: Map<string, MediaDeviceInfo>,
  kind: string,
  chosen?: string,
): void {
  const options = [...devices.values()].map((info, index) => {
    const option = document.createElement('option');
    option.value = info.deviceId;
    option.textContent = deviceName(info, index, kind);
    return option;
  });
  select.replaceChildren(...options);
  if (chosen && devices.has(chosen)) select.value = chosen;
}

export function mountAudioChoice(audio: AudioHelper, ui: AudioChoiceUi): () => void {
  const render = () => {
    fill(
      ui.microphone,
      audio.availableInputDevices,
      'Microphone',
      audio.inputDevice?.deviceId ?? ui.microphone.value,
    );
    const speaking = [...audio.speakerDevices.get()][0]?.deviceId;
    fill(ui.speaker, audio.availableOutputDevices, 'Speaker', speaking);
    ui.speaker.disabled = !audio.isOutputSelectionSupported;
    ui.speakerNote.textContent = audio.isOutputSelectionSupported ? '' : NO_SPEAKER_CHOICE;
    ui.speakerNote.hidden = audio.isOutputSelectionSupported;
  };
  const chosen = (select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? '';
  ui.microphone.addEventListener('change', () => {
    audio.setInputDevice(ui.microphone.value).then(
      () => (ui.note.textContent = `Microphone: ${chosen(ui.microphone)}.`),
      () => (ui.note.textContent = `Could not open ${chosen(ui.microphone)}. Choose another microphone.`),
    );
  });
  ui.speaker.addEventListener('change', () => {
    audio.speakerDevices.set(ui.speaker.value).then(
      () => (ui.note.textContent = `Speaker: ${chosen(ui.speaker)}.`),
      () => (ui.note.textContent = `Could not play through ${chosen(ui.speaker)}. Choose another speaker.`),
    );
  });
  audio.on('deviceChange', render);
  render();
  return render;
}
