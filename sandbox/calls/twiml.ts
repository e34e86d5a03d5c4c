import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One TwiML element: its verb or noun name, attributes, text, and nested elements. */
export interface TwimlNode {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: TwimlNode[];
}

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
});

function toNode(element: Ordered): TwimlNode | null {
  const name = Object.keys(element).find((key) => key !== ':@');
  if (!name || name === '#text' || name === '?xml') return null;
  const content = (element[name] as Ordered[]) ?? [];
  const text = content
    .map((child) => child['#text'])
    .filter((value) => value !== undefined)
    .join('');
  return {
    name,
    attributes: element[':@'] ?? {},
    text: String(text),
    children: content.map(toNode).filter((node): node is TwimlNode => node !== null),
  };
}

/** The `<Response>` element of a TwiML document; throws when the document is not well-formed TwiML. */
export function parseTwiml(xml: string): TwimlNode {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`TwiML is not well-formed XML: ${valid.err.msg}`);
  const response = (parser.parse(xml) as Ordered[]).map(toNode).find((node) => node?.name === 'Response');
  if (!response) throw new Error('TwiML has no <Response> root element');
  return response;
}

/** The first element with this name, searched depth-first. */
export function findVerb(node: TwimlNode, name: string): TwimlNode | undefined {
  if (node.name === name) return node;
  for (const child of node.children) {
    const found = findVerb(child, name);
    if (found) return found;
  }
  return undefined;
}
