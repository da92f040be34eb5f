/**
 * The mark at the start of the widget's header: the business's logo when the admins set one, on
 * a white tile so any logo stays legible on any accent colour (the header's text keeps its own
 * contrast), else the assistant's initial.
 */
export function BrandMark({ logo, botName }: { logo: string | null; botName: string }) {
  if (logo) {
    return (
      <span className="flex h-8 max-w-24 shrink-0 items-center rounded-md bg-white px-1.5">
        {/* biome-ignore lint/performance/noImgElement: an admin's logo, of any origin or a data URL */}
        <img src={logo} alt="" className="h-6 w-auto max-w-full object-contain" />
      </span>
    );
  }
  return (
    <span
      aria-hidden="true"
      className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-white/20 text-sm font-semibold"
    >
      {botName.trim().charAt(0).toUpperCase()}
    </span>
  );
}
