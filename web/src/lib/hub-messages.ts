import { isApiError, messageOf } from './api/errors.js';

export interface HubProblem {
  title: string;
  text: string;
}

/**
 * A failed hub call as the models page shows it. The server's message leads with what it was
 * doing ("search: cannot reach the model hub at …"); a person needs the sentence, not the label.
 */
export function hubProblem(error: unknown): HubProblem {
  const raw = messageOf(error);
  const unreachable = isApiError(error, 'unavailable') && /cannot reach/i.test(raw);
  const sentence = raw.replace(/^[^:]{1,80}: (?=cannot reach)/i, '');
  const text = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  return { title: unreachable ? 'The hub is out of reach' : 'Search failed', text };
}
