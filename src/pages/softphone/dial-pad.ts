/** The twelve keys of a telephone, and the tones they send into a call (Call.sendDigits). */
export const DIAL_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

const LETTERS: Record<string, string> = {
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
};

/** A key typed on the keyboard as a dial-pad key, or undefined. */
export function dialKey(key: string): string | undefined {
  return (DIAL_KEYS as readonly string[]).includes(key) ? key : undefined;
}

/** The pad's buttons, each named by its digit for screen readers ("5 JKL" would be read letter by letter). */
export function buildDialPad(container: HTMLElement, press: (digit: string) => void): void {
  for (const digit of DIAL_KEYS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'dial-key';
    button.setAttribute('aria-label', digit === '*' ? 'star' : digit === '#' ? 'pound' : digit);
    button.dataset.digit = digit;
    const face = document.createElement('span');
    face.textContent = digit;
    const letters = document.createElement('small');
    letters.textContent = LETTERS[digit] ?? '';
    letters.setAttribute('aria-hidden', 'true');
    button.append(face, letters);
    button.addEventListener('click', () => press(digit));
    container.append(button);
  }
}
