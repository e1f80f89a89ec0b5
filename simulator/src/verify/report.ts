import { escapeXml } from '../surfaces/shared/xml';
import type { CaseResult } from './runner';

/** JUnit XML, one testsuite per surface, one testcase per case (the shape CI systems read). */
export function toJunitXml(results: readonly CaseResult[]): string {
  const surfaces = [...new Set(results.map((result) => result.surface))];
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const count = (list: readonly CaseResult[], outcome: CaseResult['outcome']) =>
    list.filter((result) => result.outcome === outcome).length;
  lines.push(
    `<testsuites name="gpsim verify" tests="${results.length}" failures="${count(results, 'failed')}" skipped="${count(results, 'skipped')}">`,
  );
  for (const surface of surfaces) {
    const list = results.filter((result) => result.surface === surface);
    const seconds = list.reduce((sum, result) => sum + result.durationMs, 0) / 1000;
    lines.push(
      `  <testsuite name="${escapeXml(surface)}" tests="${list.length}" failures="${count(list, 'failed')}" skipped="${count(list, 'skipped')}" time="${seconds.toFixed(3)}">`,
    );
    for (const result of list) {
      const name = escapeXml(`${result.case.id}: ${result.case.title}`);
      const open = `    <testcase classname="${escapeXml(`gpsim.verify.${surface}`)}" name="${name}" time="${(result.durationMs / 1000).toFixed(3)}"`;
      if (result.outcome === 'passed') {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      const text = escapeXml([...result.messages, `spec: ${result.case.citation}`].join('\n'));
      lines.push(
        result.outcome === 'failed'
          ? `      <failure message="${escapeXml(result.messages[0] ?? 'failed')}">${text}</failure>`
          : `      <skipped message="${escapeXml(result.messages[0] ?? 'skipped')}"/>`,
      );
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

export function toJson(results: readonly CaseResult[]): unknown {
  return {
    passed: results.filter((result) => result.outcome === 'passed').length,
    failed: results.filter((result) => result.outcome === 'failed').length,
    skipped: results.filter((result) => result.outcome === 'skipped').length,
    cases: results.map((result) => ({
      surface: result.surface,
      id: result.case.id,
      title: result.case.title,
      citation: result.case.citation,
      tags: result.case.tags,
      outcome: result.outcome,
      messages: result.messages,
      durationMs: result.durationMs,
    })),
  };
}

/** One progress line: a bar, the count and the case. */
export function progressLine(result: CaseResult, index: number, total: number): string {
  const width = 20;
  const filled = Math.round((index / total) * width);
  const mark = result.outcome === 'passed' ? 'ok  ' : result.outcome === 'failed' ? 'FAIL' : 'skip';
  const lines = [
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${index}/${total} ${mark} ${result.surface} ${result.case.id}`,
  ];
  if (result.outcome === 'failed') {
    for (const message of result.messages) lines.push(`      ${message}`);
    lines.push(`      spec: ${result.case.citation}`);
  }
  return `${lines.join('\n')}\n`;
}
