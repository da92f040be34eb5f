import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * Real documents built the way authoring tools build them (pdf-lib lays out text runs, docx
 * writes Word's OOXML with its built-in heading styles), so extraction is tested on genuine
 * file structure rather than on hand-made stand-ins.
 */

export interface PdfLine {
  text: string;
  size?: number;
  /** Extra space above the line, in points, as between paragraphs. */
  gapBefore?: number;
}

/** A PDF whose pages hold these lines top to bottom; `title` goes into the document info. */
export async function buildPdf(pages: PdfLine[][], title?: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  if (title) pdf.setTitle(title);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    let y = 780;
    for (const line of lines) {
      const size = line.size ?? 11;
      y -= (line.gapBefore ?? 0) + size * 1.25;
      page.drawText(line.text, { x: 56, y, size, font: size > 11 ? bold : font });
    }
  }
  return pdf.save();
}

export const refundPolicyPdfPages: PdfLine[][] = [
  [
    { text: 'Refund policy', size: 22 },
    { text: 'Customers may request a refund within 30 days of delivery.', gapBefore: 12 },
    { text: 'Refunds go back to the original payment method.' },
    { text: 'How long refunds take', size: 15, gapBefore: 14 },
    { text: 'Card refunds arrive within 5 to 10 business days.', gapBefore: 6 },
    { text: 'PayPal refunds usually arrive within 24 hours.', gapBefore: 10 },
  ],
  [
    { text: 'Exceptions', size: 15 },
    { text: 'Gift cards cannot be refunded.', gapBefore: 6 },
  ],
];

export async function buildDocx(): Promise<Uint8Array> {
  const document = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Warranty claims', heading: HeadingLevel.TITLE }),
          new Paragraph(
            'Every Parcelly device carries a two-year warranty from the date of purchase.',
          ),
          new Paragraph({ text: 'What the warranty covers', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('Manufacturing defects and battery failures are covered.'),
          new Paragraph({ text: 'Water damage', bullet: { level: 0 } }),
          new Paragraph({ text: 'Cracked screens', bullet: { level: 0 } }),
          new Paragraph({ text: 'How to file a claim', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('Send the order number and a photo of the fault to support.'),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

export const helpPageHtml = `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Returns and refunds | Parcelly Help</title></head>
<body>
  <header>
    <nav><a href="/">Home</a> <a href="/help">Help centre</a> <a href="/login">Sign in to your account</a></nav>
  </header>
  <div class="layout">
    <aside class="sidebar"><h3>Popular articles</h3><ul><li><a href="/a">Track a parcel</a></li><li><a href="/b">Change your address</a></li></ul></aside>
    <main>
      <article>
        <h1>Returns and refunds</h1>
        <p>You can return most items within 30 days of delivery for a full refund. Start the return from your orders page, print the prepaid label and drop the parcel at any pickup point.</p>
        <h2>How long refunds take</h2>
        <p>Refunds reach your original payment method within 5 to 10 business days after the warehouse receives the item. We email you as soon as the refund is issued.</p>
        <table><tr><th>Plan</th><th>Return window</th></tr><tr><td>Plus</td><td>60 days</td></tr></table>
        <h3>Items that cannot be returned</h3>
        <ul><li>Gift cards cannot be refunded.</li><li>Perishable goods are final sale.</li></ul>
      </article>
    </main>
  </div>
  <footer><p>© 2026 Parcelly Inc. All rights reserved.</p><p>Privacy · Terms · Cookie settings</p></footer>
</body>
</html>`;
