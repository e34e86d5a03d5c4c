/** The parts of a Voice SDK error (TwilioError) the page shows. */
export interface SdkError {
  code?: number;
  description?: string;
  message?: string;
}

// Codes of the Voice SDK's errors (its errors/generated.ts), in the words of someone making a call.
const WORDS: Record<number, string> = {
  20101: 'The phone sign-in was refused by Twilio. Renewing it…',
  20104: 'The phone sign-in expired. Renewing it…',
  31204: 'The phone sign-in was refused by Twilio. Renewing it…',
  31205: 'The phone sign-in expired. Renewing it…',
  31005: 'The connection to the calling service was lost. Reconnecting…',
  31009: "Can't reach Twilio's calling service from this network. Calls won't work until it connects.",
  53000: "Can't reach Twilio's calling service from this network. Calls won't work until it connects.",
  31401:
    'The browser is not allowed to use your microphone. Allow it (icon in the address bar) and call again.',
  31402: 'No microphone could be opened. Check that one is connected and not used by another app.',
  31208: 'The browser is not allowed to use your microphone. Allow it and call again.',
  31480: 'The person you called is not available.',
  31486: 'The line is busy.',
  31603: 'The call was declined.',
};

export function explainCallError(error: SdkError): string {
  if (error.code !== undefined && WORDS[error.code]) return WORDS[error.code] as string;
  const what = error.description || error.message || 'Something went wrong with the phone';
  return error.code ? `${what} (Twilio error ${error.code}).` : `${what}.`;
}
