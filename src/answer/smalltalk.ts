import { fold } from '../text';

/** Greetings, thanks and goodbyes: a short friendly reply with examples, never the "not found" apology. */
type SmallTalk = 'greeting' | 'thanks' | 'bye';

const GREETING =
  /^(xin chao|chao( ban| bot| ad| admin| em| anh| chi| tro ly)?|hello|hi|hey|alo|a lo|good (morning|afternoon|evening))$/;
const THANKS =
  /^(cam on|cam on (ban|nhieu|nhe|bot|ad|tro ly|nhieu nhe)|cam on ban nhieu|thanks?|thank you|thanks a lot|tks|thank|ok cam on|da cam on|cam on a|cam on nha)$/;
const BYE = /^(tam biet|bye|goodbye|hen gap lai|chao tam biet)$/;
const FILLER = /\b(a|nhe|nha|nhe ban|nhieu|ad|ban oi|oi|a a|ạ)\b/g;

/** Recognises a message that is only small talk (a question after "xin chào" is a question). */
export function smallTalk(text: string): SmallTalk | undefined {
  const t = fold(text)
    .replace(/[^a-z0-9\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!t || t.split(' ').length > 6) return undefined;
  const core = t.replace(FILLER, ' ').replace(/\s+/g, ' ').trim();
  for (const s of [t, core]) {
    if (GREETING.test(s)) return 'greeting';
    if (THANKS.test(s)) return 'thanks';
    if (BYE.test(s)) return 'bye';
  }
  return undefined;
}
