/** Pure: a chat as a Markdown document or as JSON, for download. */
import type { Chat } from '@mlx-manager/contract';

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text}\n${ticks}`;
}

export function chatToMarkdown(chat: Chat): string {
  const lines: string[] = [`# ${chat.title}`, ''];
  if (chat.model) lines.push(`Model: ${chat.model}${chat.settings.compare_model ? ` · compared with ${chat.settings.compare_model}` : ''}`, '');
  if (chat.settings.system_prompt) lines.push('## System prompt', '', chat.settings.system_prompt, '');
  for (const m of chat.messages) {
    const who = m.role === 'user' ? 'You' : m.role === 'error' ? 'Error' : `Assistant${m.model ? ` (${m.model})` : ''}`;
    lines.push(`## ${who}`, '');
    for (const a of m.attachments ?? []) lines.push(`*Attached ${a.kind}: ${a.name}*`, '');
    if (m.reasoning) lines.push('<details><summary>Thinking</summary>', '', m.reasoning, '', '</details>', '');
    for (const c of m.tool_calls ?? []) {
      lines.push(`**Tool ${c.name}**`, '', fence(c.arguments), '');
      if (c.result !== undefined) lines.push('Result:', '', fence(c.result), '');
      if (c.error !== undefined) lines.push(`Error: ${c.error}`, '');
    }
    if (m.content) lines.push(m.content, '');
  }
  return lines.join('\n');
}

export function chatToJson(chat: Chat): string {
  return JSON.stringify(chat, null, 2);
}

/** A file name for a chat: its title made safe for any file system. */
export function exportFileName(chat: Chat, extension: 'md' | 'json'): string {
  const stem = chat.title.replace(/[^\p{L}\p{N}._ -]+/gu, '').trim().replace(/\s+/g, '-').slice(0, 60) || 'chat';
  return `${stem}.${extension}`;
}
