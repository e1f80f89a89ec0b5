/** Small SVG charts drawn with attributes only (the console's CSP allows no inline style). */
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 48, right: 12, top: 12, bottom: 24 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

export interface Series {
  name: string;
  /** A CSS class that colours the series (see console.css). */
  className: string;
  values: number[];
  kind: 'line' | 'bar';
}

/** One chart over time slices: lines or bars, a y axis from zero and the first and last slice labelled. */
export function timeChart(title: string, labels: string[], series: Series[], unit: string): SVGSVGElement {
  const max = Math.max(1, ...series.flatMap((one) => one.values));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = plotWidth / Math.max(1, labels.length);
  const x = (i: number) => PAD.left + step * i + step / 2;
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'chart', 'aria-label': title });
  chart.appendChild(svg('title', {}, title));
  chart.appendChild(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0), class: 'axis' }));
  chart.appendChild(
    svg(
      'text',
      { x: PAD.left - 6, y: y(max) + 4, 'text-anchor': 'end', class: 'tick' },
      `${Math.round(max * 10) / 10}${unit}`,
    ),
  );
  chart.appendChild(svg('text', { x: PAD.left - 6, y: y(0) + 4, 'text-anchor': 'end', class: 'tick' }, `0${unit}`));
  if (labels.length > 0) {
    chart.appendChild(svg('text', { x: PAD.left, y: HEIGHT - 6, class: 'tick' }, labels[0] as string));
    chart.appendChild(
      svg(
        'text',
        { x: WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': 'end', class: 'tick' },
        labels.at(-1) as string,
      ),
    );
  }
  const bars = series.filter((one) => one.kind === 'bar');
  series.forEach((one) => {
    if (one.kind === 'bar') {
      const width = (step * 0.8) / bars.length;
      const offset = bars.indexOf(one) * width - (step * 0.8) / 2;
      one.values.forEach((value, i) => {
        if (value > 0)
          chart.appendChild(
            svg('rect', { x: x(i) + offset, y: y(value), width, height: y(0) - y(value), class: one.className }),
          );
      });
    } else {
      chart.appendChild(
        svg('polyline', {
          points: one.values.map((value, i) => `${x(i)},${y(value)}`).join(' '),
          class: `line ${one.className}`,
        }),
      );
    }
  });
  return chart;
}
