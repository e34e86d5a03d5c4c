export interface UsageBar {
  label: string;
  value: number;
}

const SVG = 'http://www.w3.org/2000/svg';
const BAR_HEIGHT = 22;
const LABEL_WIDTH = 220;
const CHART_WIDTH = 640;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/**
 * A horizontal bar chart of usage by category (price), as SVG built with DOM calls (no markup from
 * data), with a title and a description so screen readers get the numbers too. `titleId` names its
 * title element, unique on the page (one subaccount's chart and the charts across subaccounts coexist).
 */
export function usageChart(
  bars: readonly UsageBar[],
  currency: string,
  titleId = 'usage-chart-title',
): SVGSVGElement {
  const shown = [...bars].filter((bar) => bar.value > 0).sort((a, b) => b.value - a.value);
  const max = Math.max(...shown.map((bar) => bar.value), 0.01);
  const height = Math.max(1, shown.length) * BAR_HEIGHT + 8;
  const chart = svg('svg', {
    class: 'chart',
    width: '100%',
    viewBox: `0 0 ${CHART_WIDTH} ${height}`,
    role: 'img',
    'aria-labelledby': titleId,
  });
  const title = svg('title', { id: titleId });
  title.textContent = `Usage by category in ${currency}: ${
    shown.map((bar) => `${bar.label} ${bar.value.toFixed(2)}`).join('; ') || 'nothing billed'
  }`;
  chart.append(title);
  shown.forEach((bar, index) => {
    const y = index * BAR_HEIGHT + 4;
    const width = ((CHART_WIDTH - LABEL_WIDTH - 80) * bar.value) / max;
    const label = svg('text', { x: 0, y: y + 14 });
    label.textContent = bar.label;
    const rect = svg('rect', { x: LABEL_WIDTH, y, width: Math.max(1, width), height: BAR_HEIGHT - 6, rx: 3 });
    const value = svg('text', { x: LABEL_WIDTH + width + 6, y: y + 14 });
    value.textContent = `${bar.value.toFixed(2)} ${currency}`;
    chart.append(label, rect, value);
  });
  return chart;
}
