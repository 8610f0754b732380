/**
 * The simple commands of a workflow's `run:` script, as word lists: enough of the shell to find every
 * `pipebench ...` line and its arguments. Quotes are removed, `${{ ... }}` and `$VAR` stay as written,
 * redirections (`> file`, `2>&1`) are dropped, heredoc bodies are data, not commands.
 */

const SEPARATORS = new Set([';', '&&', '||', '|', '&', '\n']);
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', '!', 'time']);
const REDIRECT = /^\d*(>>|>&|>|<|&>)/;

export function simpleCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  const endCommand = () => {
    while (words.length > 0 && KEYWORDS.has(words[0]!)) words.shift();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (const token of tokens(withoutHeredocBodies(script).replace(/\\\n/g, ' '))) {
    if (token.kind === 'operator' && SEPARATORS.has(token.text)) endCommand();
    else if (token.kind === 'word') words.push(token.text);
  }
  endCommand();
  return commands;
}

/** The commands whose first word is `program`, without it: `pipebench run x` -> ['run', 'x']. */
export function commandsOf(program: string, script: string): string[][] {
  return simpleCommands(script)
    .filter((words) => words[0] === program)
    .map((words) => words.slice(1));
}

function withoutHeredocBodies(script: string): string {
  const kept: string[] = [];
  let terminator: string | undefined;
  for (const line of script.split('\n')) {
    if (terminator !== undefined) {
      if (line.trim() === terminator) terminator = undefined;
      continue;
    }
    kept.push(line);
    terminator = /<<-?\s*['"]?(\w+)['"]?/.exec(line)?.[1];
  }
  return kept.join('\n');
}

interface Token {
  readonly kind: 'word' | 'operator';
  readonly text: string;
}

function* tokens(text: string): Generator<Token> {
  let i = 0;
  let redirectPending = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const operator = /^(&&|\|\||[;|&\n])/.exec(text.slice(i));
    const redirect = REDIRECT.exec(text.slice(i));
    if (redirect) {
      i += redirect[0].length;
      // `2>&1`: the target is the fd right after the operator; otherwise the next word is the target.
      if (redirect[1] === '>&' && /\d/.test(text[i] ?? '')) i++;
      else redirectPending = true;
      continue;
    }
    if (operator) {
      i += operator[0].length;
      yield { kind: 'operator', text: operator[0] };
      continue;
    }
    const [word, end] = readWord(text, i);
    i = end;
    if (redirectPending) redirectPending = false;
    else yield { kind: 'word', text: word };
  }
}

/** One word from `start`: quotes joined and removed, `${{ }}` and `$( )` kept whole. */
function readWord(text: string, start: number): [string, number] {
  let word = '';
  let i = start;
  while (i < text.length && !/[\s;&|<>]/.test(text[i]!)) {
    const c = text[i]!;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      word += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') {
        if (text[j] === '\\') j++;
        word += text[j];
        j++;
      }
      i = j + 1;
    } else if (text.startsWith('${{', i)) {
      const close = text.indexOf('}}', i) + 2;
      word += text.slice(i, close);
      i = close;
    } else if (text.startsWith('$(', i)) {
      const close = closingParen(text, i + 1);
      word += text.slice(i, close + 1);
      i = close + 1;
    } else {
      word += c;
      i++;
    }
  }
  return [word, i];
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  throw new Error(`unclosed $( in: ${text.slice(open - 1, open + 40)}`);
}
