/**
 * The T-SQL grammar: the ANTLR grammar of SQL Server's language (TSqlLexer/TSqlParser, the grammars-v4
 * T-SQL grammar as built by antlr4ts-sql) turns the query into a parse tree. Chosen over
 * node-sql-parser's `transactsql` (it refused TRY_CAST, TOP (@n), OFFSET @skip, EXCEPT, AT TIME ZONE…
 * and its parse time grew 2.3x per nested CAST) and over sqlparser-rs's MsSql dialect (a WebAssembly
 * build that cannot be loaded from the single-file bundle and refused FETCH NEXT @take): see the README.
 * Its gap, TABLESAMPLE, is handled before parsing (token-checks.ts). Parsing is the guard's only
 * super-linear step: it runs in a worker thread with a deadline (parse-worker.ts).
 */
import { ANTLRInputStream, CommonTokenStream, type ParserRuleContext, type Recognizer } from 'antlr4ts';
import { BailErrorStrategy } from 'antlr4ts/BailErrorStrategy.js';
import { PredictionMode } from 'antlr4ts/atn/PredictionMode.js';
import type { ParseTree } from 'antlr4ts/tree/ParseTree.js';
import { TerminalNode } from 'antlr4ts/tree/TerminalNode.js';
import { CaseChangingStream } from 'antlr4ts-sql/dist/src/models/CaseChangingStream.js';
import { TSqlLexer } from 'antlr4ts-sql/dist/src/grammar-output/tsql/TSqlLexer.js';
import { TSqlParser } from 'antlr4ts-sql/dist/src/grammar-output/tsql/TSqlParser.js';

/** A node of the parse tree, reduced to what the checks read. */
export interface SqlNode {
  /** Grammar rule name (`query_specification`, `function_call`…), or undefined for a token. */
  rule?: string;
  /** The node's text as written (tokens joined with the spaces between them). */
  text: string;
  children: SqlNode[];
}

/** Where the grammar stopped, in words a person can act on. */
export class SqlSyntaxError extends Error {
  override name = 'SqlSyntaxError';
}

/** Where the grammar stopped: the token found there, its line and column. */
function syntaxError(text: string, token: { startIndex: number; stopIndex: number } | undefined, line: number, column: number): SqlSyntaxError {
  const found = token !== undefined && token.startIndex >= 0 && token.stopIndex >= token.startIndex ? text.slice(token.startIndex, token.stopIndex + 1) : '';
  const near = found === '' ? 'at the end' : `near "${found.slice(0, 40)}"`;
  return new SqlSyntaxError(`the T-SQL grammar cannot read the query ${near} (line ${line}, column ${column + 1})`);
}

/** Lexer errors arrive through a listener; parser errors through BailErrorStrategy's exception. */
function throwingListener(text: string) {
  return {
    // The signature ANTLR's listener interface declares.
    syntaxError<T>(_recognizer: Recognizer<T, any>, offending: T | undefined, line: number, column: number): void {
      throw syntaxError(text, offending as { startIndex: number; stopIndex: number } | undefined, line, column);
    },
  };
}

function parseWith(text: string, mode: PredictionMode): ParserRuleContext {
  const lexer = new TSqlLexer(new CaseChangingStream(new ANTLRInputStream(text), true) as unknown as ANTLRInputStream);
  lexer.removeErrorListeners();
  lexer.addErrorListener(throwingListener(text));
  const parser = new TSqlParser(new CommonTokenStream(lexer));
  parser.removeErrorListeners();
  parser.addErrorListener(throwingListener(text));
  parser.errorHandler = new BailErrorStrategy();
  parser.interpreter.setPredictionMode(mode);
  return parser.tsql_file();
}

/** The exception BailErrorStrategy throws carries the offending token; turn it into a SqlSyntaxError. */
function syntaxErrorOf(text: string, error: unknown): SqlSyntaxError | undefined {
  if (error instanceof SqlSyntaxError) return error;
  const cause = (error as { cause?: { getOffendingToken?: () => unknown } } | undefined)?.cause;
  const token = cause?.getOffendingToken?.() as { startIndex: number; stopIndex: number; line: number; charPositionInLine: number } | undefined;
  return token === undefined ? undefined : syntaxError(text, token, token.line, token.charPositionInLine);
}

/** Turns ANTLR's tree into plain nodes, without recursion (long AND chains make very deep trees). */
function toNodes(text: string, root: ParserRuleContext): SqlNode {
  const ruleNames = TSqlParser.ruleNames;
  const make = (tree: ParseTree): SqlNode => {
    if (tree instanceof TerminalNode) {
      const { startIndex, stopIndex } = tree.symbol;
      return { text: startIndex < 0 ? '' : text.slice(startIndex, stopIndex + 1), children: [] };
    }
    const context = tree as ParserRuleContext;
    const start = context.start.startIndex;
    const stop = context.stop?.stopIndex ?? start - 1;
    return { rule: ruleNames[context.ruleIndex]!, text: start < 0 || stop < start ? '' : text.slice(start, stop + 1), children: [] };
  };
  const top = make(root);
  const stack: Array<[ParseTree, SqlNode]> = [[root, top]];
  while (stack.length > 0) {
    const [tree, node] = stack.pop()!;
    for (let i = 0; i < tree.childCount; i += 1) {
      const child = tree.getChild(i);
      const childNode = make(child);
      node.children.push(childNode);
      if (!(child instanceof TerminalNode)) stack.push([child, childNode]);
    }
  }
  return top;
}

/**
 * Parses T-SQL text into a tree; throws SqlSyntaxError where the grammar cannot read it. SLL prediction
 * first (fast), full LL only when SLL fails, as ANTLR's documentation advises.
 */
export function parseTsql(text: string): SqlNode {
  let tree: ParserRuleContext;
  try {
    tree = parseWith(text, PredictionMode.SLL);
  } catch {
    try {
      tree = parseWith(text, PredictionMode.LL);
    } catch (error) {
      const syntax = syntaxErrorOf(text, error);
      if (syntax !== undefined) throw syntax;
      throw error;
    }
  }
  return toNodes(text, tree);
}
