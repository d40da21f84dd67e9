import type { Retriever } from '../search';
import { type SearchResult, askedSections, looksLikeFollowUp } from '../domain';
import { subjectPhrase, topicView } from '../text';
import type { Turn } from './types';

/** How much of the question's subject the document's own name must cover for the question to name a new topic. */
const NAMES_TOPIC = 0.6;

interface Retrieved {
  res: SearchResult;
  /** The question as searched ("Đăng ký khai sinh nộp ở đâu" for a bare "nộp ở đâu"). */
  resolved: string;
  /** The question leaned on the conversation's topic. */
  usedTopic: boolean;
}

/**
 * Search a question in its conversation. A question that names its own subject ("còn tạm trú thì sao?", "làm căn
 * cước cho bé") is searched on its own and switches topic; a question with no subject of its own ("nộp ở đâu",
 * "căn cứ pháp lý là văn bản nào?") binds to the current topic; a detail ("nếu bị mất thì sao?") is tried in the
 * topic first. Confidence is always judged on what the user asked, with the topic only when the question has none.
 */
export async function retrieveInConversation(
  retriever: Retriever,
  question: string,
  history: Turn[],
  opts: { k: number; threshold: number },
): Promise<Retrieved> {
  const last = [...history].reverse().find((t) => t.topic);
  const topic = last?.topic;
  // "thế còn tạm trú thì sao?" after "thường trú lệ phí bao nhiêu?": the same section of a new subject.
  const carried =
    topic && !askedSections(question).length && looksLikeFollowUp(question)
      ? askedSections(last!.question)[0]
      : undefined;
  const own = carried ? `${question} ${carried.toLowerCase()}` : question;
  if (!topic) return { res: await retriever.search(own, { k: opts.k }), resolved: question, usedTopic: false };
  const ownSubject = topicView(question).topic.length > 0;
  // A bare section question ("nộp ở đâu?") is wholly about the topic: searching it alone would be thrown away.
  if (!ownSubject) {
    const resolved = topicQuestion(topic.title, last!.question, question);
    return { res: await retriever.search(resolved, { k: opts.k }), resolved, usedTopic: true };
  }
  const plain = await retriever.search(own, { k: opts.k });
  const plainDoc = plain.results[0]?.citation.docId;
  // The question names another document well enough on its own: a new topic.
  const namesNew =
    ownSubject &&
    plain.confidence >= opts.threshold &&
    plainDoc !== topic.docId &&
    (plain.features?.heading ?? 0) >= NAMES_TOPIC;
  if (namesNew) return { res: plain, resolved: own, usedTopic: false };
  if (!looksLikeFollowUp(question) && plain.confidence >= opts.threshold)
    return { res: plain, resolved: own, usedTopic: false };

  const resolved = topicQuestion(topic.title, last!.question, question);
  const withTopic = await retriever.search(resolved, { k: opts.k, confidenceFor: question });
  // A detail must be answered at least as well with the topic as without it.
  const useTopic = withTopic.confidence >= opts.threshold && withTopic.confidence >= plain.confidence;
  return useTopic ? { res: withTopic, resolved, usedTopic: true } : { res: plain, resolved: own, usedTopic: false };
}

/** The topic's name and what the user said it was about ("mở tiệm tạp hóa đăng ký hộ kinh doanh"), then the question. */
function topicQuestion(title: string, earlier: string, question: string): string {
  const said = subjectPhrase(topicView(earlier));
  return `${title}${said ? ` ${said}` : ''} ${question}`;
}
