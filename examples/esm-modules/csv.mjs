export function parseCsv(text) {
  const [header, ...lines] = text.split("\n");
  const columns = header.split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    const row = {};
    columns.forEach((column, i) => {
      row[column] = cells[i];
    });
    return row;
  });
}
