import { parseTwiml, type TwimlNode } from '../sandbox';

/**
 * A TwiML answer parsed with a real XML parser (fast-xml-parser, via the sandbox): throws when it is
 * not a well-formed `<Response>` document.
 */
export function twimlOf(xml: string): TwimlNode {
  return parseTwiml(xml);
}

/** The verbs of a TwiML document, in order, with their nouns: `['Dial>Client', 'Say']`. */
export function verbsOf(xml: string): string[] {
  return twimlOf(xml).children.map((verb) =>
    verb.children.length > 0 ? `${verb.name}>${verb.children.map((noun) => noun.name).join(',')}` : verb.name,
  );
}

/**
 * The identities a `<Dial>` rings: `<Client>alice</Client>` or the long form
 * `<Client><Identity>alice</Identity><Parameter …/></Client>` that carries parameters.
 */
export function clientIdentities(dial: TwimlNode | undefined): string[] {
  return (dial?.children ?? [])
    .filter((noun) => noun.name === 'Client')
    .map((noun) => (noun.children.find((part) => part.name === 'Identity')?.text ?? noun.text).trim());
}
