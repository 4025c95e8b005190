import type { Chat, ChatMessage } from '@mlx-manager/contract';
import { describe, expect, it } from 'vitest';
import { acceptFor, classifyFile, frameTimes, isTextFileName } from './attachments.js';
import { buildMessages, samplingParams, titleFrom, userContent } from './conversation.js';
import { chatToMarkdown, exportFileName } from './export.js';
import { groupModels } from './model-groups.js';

const at = '2026-01-01T00:00:00Z';

describe('buildMessages', () => {
  const history: ChatMessage[] = [
    { id: '1', role: 'user', content: 'Read this', attachments: [{ kind: 'text', name: 'notes.md', text: '# hi' }, { kind: 'image', name: 'a.png' }], created_at: at },
    { id: '2', role: 'assistant', column: 0, content: 'Done.', tool_calls: [{ id: 'c1', name: 'calculator', arguments: '{"expression":"1+1"}', result: '{"result":2}' }], created_at: at },
    { id: '3', role: 'assistant', column: 1, content: 'Other column.', created_at: at },
    { id: '4', role: 'error', content: 'boom', created_at: at },
  ];

  it('sends the system prompt, earlier turns of this column with tool rounds, and the new turn with attachments', () => {
    const out = buildMessages(history, 0, 'Be brief.', { text: 'Look', attachments: [{ kind: 'image', name: 'p.png', images: ['data:image/png;base64,AA'] }, { kind: 'text', name: 'x.py', text: 'print(1)' }] });
    expect(out).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Read this\n\n[File: notes.md]\n# hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'calculator', arguments: '{"expression":"1+1"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"result":2}' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }, { type: 'text', text: '[File: x.py]\nprint(1)' }] },
    ]);
    expect(buildMessages(history, 1, '   ').map((m) => m.content)).toEqual(['Read this\n\n[File: notes.md]\n# hi', 'Other column.']);
  });

  it('sends video frames as pictures after a note, and plain text without attachments', () => {
    expect(userContent('hi', [])).toBe('hi');
    expect(userContent('clip', [{ kind: 'video', name: 'v.mp4', images: ['data:image/jpeg;base64,1', 'data:image/jpeg;base64,2'] }])).toEqual([
      { type: 'text', text: 'clip' },
      { type: 'text', text: '[Video: v.mp4, 2 frames in order]' },
      { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,1' } },
      { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,2' } },
    ]);
  });

  it('keeps only the sampling settings that are set, and titles from the first line', () => {
    expect(samplingParams({ temperature: 0, max_tokens: null, top_p: 0.9, system_prompt: 'x' })).toEqual({ temperature: 0, top_p: 0.9 });
    expect(titleFrom('  \nWhat is the capital of France?\nThanks')).toBe('What is the capital of France?');
    expect(titleFrom('x'.repeat(80))).toHaveLength(58);
    expect(titleFrom('')).toBe('New chat');
  });
});

describe('attachments', () => {
  it('recognises text files by name, not MIME type', () => {
    expect(isTextFileName('notes.MD')).toBe(true);
    expect(isTextFileName('server.log')).toBe(true);
    expect(isTextFileName('Makefile')).toBe(true);
    expect(isTextFileName('.gitignore')).toBe(true);
    expect(isTextFileName('photo.png')).toBe(false);
    expect(classifyFile({ name: 'a.md', type: 'application/octet-stream', size: 10 }, { multimodal: false, count: 0 })).toEqual({ ok: true, kind: 'text' });
  });

  it('refuses with clear reasons', () => {
    const refuse = (f: { name: string; type: string; size: number }, multimodal: boolean, count = 0) => {
      const r = classifyFile(f, { multimodal, count });
      return r.ok ? '' : r.reason;
    };
    expect(refuse({ name: 'p.png', type: 'image/png', size: 10 }, false)).toMatch(/reads text only/);
    expect(refuse({ name: 'p.png', type: 'image/png', size: 11 * 1024 * 1024 }, true)).toMatch(/larger than 10 MB/);
    expect(refuse({ name: 'a.exe', type: 'application/x-msdownload', size: 10 }, true)).toMatch(/only images, videos and text/);
    expect(refuse({ name: 'a.txt', type: '', size: 10 }, true, 4)).toMatch(/At most 4 attachments/);
    expect(classifyFile({ name: 'v.mp4', type: 'video/mp4', size: 10 }, { multimodal: true, count: 0 })).toEqual({ ok: true, kind: 'video' });
    expect(acceptFor(false)).not.toContain('image/*');
    expect(frameTimes(60, 3)).toEqual([10, 30, 50]);
  });
});

describe('export and grouping', () => {
  it('writes Markdown with tool calls, thinking and attachments, and a safe file name', () => {
    const chat: Chat = {
      id: 'x', title: 'Maths / stuff?', model: 'tiny', settings: { system_prompt: 'Be exact.' }, created_at: at, updated_at: at,
      messages: [
        { id: '1', role: 'user', content: 'What is 6*7?', attachments: [{ kind: 'text', name: 'n.txt', text: 'x' }], created_at: at },
        { id: '2', role: 'assistant', model: 'tiny', content: '42', reasoning: 'multiply', tool_calls: [{ id: 'c', name: 'calculator', arguments: '{"expression":"6*7"}', result: '{"result":42}' }], created_at: at },
      ],
    };
    const md = chatToMarkdown(chat);
    expect(md).toContain('# Maths / stuff?');
    expect(md).toContain('## System prompt\n\nBe exact.');
    expect(md).toContain('*Attached text: n.txt*');
    expect(md).toContain('<summary>Thinking</summary>\n\nmultiply');
    expect(md).toContain('**Tool calculator**\n\n```\n{"expression":"6*7"}\n```');
    expect(md).toContain('## Assistant (tiny)\n');
    expect(exportFileName(chat, 'md')).toBe('Maths-stuff.md');
  });

  it('groups names into running, on demand and remote', () => {
    const profile = (id: string, name: string, model: string) => ({ id, name, model, engine: 'builtin', model_type: 'lm', system_prompt: 'sys' }) as never;
    const groups = groupModels(
      ['gpt-4o', 'tiny', 'org/tiny-repo', 'qwen'],
      [profile('p1', 'tiny', 'org/tiny-repo'), profile('p2', 'qwen', 'org/qwen')],
      [{ profile_id: 'p1', state: 'ready' } as never],
    );
    expect(groups.map((g) => [g.kind, g.models.map((m) => m.name)])).toEqual([
      ['running', ['org/tiny-repo', 'tiny']],
      ['on-demand', ['qwen']],
      ['remote', ['gpt-4o']],
    ]);
    expect(groups[1]?.models[0]).toMatchObject({ state: 'stopped', profileId: 'p2', systemPrompt: 'sys' });
  });
});
