"""Run axe-core (vendored, see vendor/axe-core/README.md) in a Playwright page and fail with a
readable list of WCAG 2.0/2.1/2.2 A and AA violations.

axe's best-practice rules (one main landmark, headings in order, unique landmark names, ...)
run too: they are cheap to meet and keep the screens easy to navigate with a screen reader.
What axe cannot decide on its own ("needs review") counts as a violation as well (that is how
a field whose `aria-describedby` names an error or help text missing from the page is caught),
except a contrast axe cannot measure because another layer covers the text for the moment."""

from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# Every success criterion of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
WCAG_AA_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22a",
    "wcag22aa",
    "best-practice",
]

# Rules about the top-level document (its title, language, landmarks, first heading). axe does
# not apply them to a frame's document, so neither do we when checking a frame's content.
DOCUMENT_RULES = [
    "bypass",
    "document-title",
    "html-has-lang",
    "landmark-one-main",
    "page-has-heading-one",
    "region",
]

# "Needs review" findings that do not fail: axe could not measure a contrast because another
# layer covers the text (an open dropdown, the sticky top bar, a modal's backdrop), or the text
# is a lone symbol. Contrast under a gradient, an image or a pseudo-element still fails.
EXCUSED_CONTRAST = [
    "bgOverlap",
    "elmPartiallyObscured",
    "elmPartiallyObscuring",
    "shortTextContent",
    "nonBmp",
]

_RUN = """([context, tags, off, excused]) => axe.run(context || document, {
    runOnly: {type: "tag", values: tags},
    rules: Object.fromEntries(off.map(id => [id, {enabled: false}])),
    resultTypes: ["violations", "incomplete"],
    iframes: false,
}).then(results => {
    const checks = n => n.any.concat(n.all, n.none);
    const excusedNode = (v, n) => v.id === "color-contrast" &&
        checks(n).every(c => c.data && excused.includes(c.data.messageKey));
    const review = results.incomplete.map(v => Object.assign(v, {
        help: v.help + " (needs review)",
        nodes: v.nodes.filter(n => !excusedNode(v, n)),
    })).filter(v => v.id !== "frame-tested" && v.nodes.length);
    return results.violations.concat(review).map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({
            target: n.target.map(t => Array.isArray(t) ? t.join(" >> ") : t),
            summary: n.failureSummary ||
                ["Needs review:"].concat(checks(n).map(c => c.message)).join("\\n"),
        })),
    }));
})"""


def _run(page, context=None, off=()) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN, [context, WCAG_AA_TAGS, list(off), EXCUSED_CONTRAST])


def axe_violations(page, *, context: str | dict | None = None) -> list[dict]:
    """axe's violations for `page` (or the part `context` selects), any impact.

    Sandboxed `srcdoc` frames (email previews) allow no script, so axe cannot run inside them:
    each one's document is checked in a scratch page of the same browser context instead, and
    its findings are reported under the frame's selector."""
    violations = _run(page, context)
    frames = page.locator("iframe[srcdoc]")
    for i in range(frames.count() if context is None else 0):
        frame = frames.nth(i)
        where = f'iframe[title="{frame.get_attribute("title")}"]'
        scratch = page.context.new_page()
        try:
            scratch.set_viewport_size(page.viewport_size or {"width": 1366, "height": 768})
            scratch.set_content(frame.get_attribute("srcdoc") or "")
            for v in _run(scratch, off=DOCUMENT_RULES):
                for node in v["nodes"]:
                    node["target"] = [f"{where} >> {t}" for t in node["target"]]
                violations.append(v)
        finally:
            scratch.close()
    return violations


def format_violations(violations: list[dict], *, where: str = "") -> str:
    """One block per rule: id, impact, help and the offending elements' selectors."""
    lines = [f"{len(violations)} accessibility violation(s){' on ' + where if where else ''}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    {', '.join(node['target'])}")
            for detail in node["summary"].splitlines()[1:3]:
                lines.append(f"      {detail.strip()}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(page, *, where: str = "", context: str | dict | None = None) -> None:
    """Fail with the formatted violations when axe finds any."""
    violations = axe_violations(page, context=context)
    assert not violations, format_violations(violations, where=where or page.url)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the document is wider than its viewport (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth)"
    )


def overflowing_elements(page, most: int = 3) -> list[str]:
    """The innermost elements that stick out past the viewport's right edge (tag#id.class and
    width), to say what makes a page scroll sideways."""
    return page.evaluate(
        """(most) => {
          const limit = document.documentElement.clientWidth;
          const out = [];
          for (const el of document.body.querySelectorAll("*")) {
            const r = el.getBoundingClientRect();
            if (r.right <= limit + 0.5 || r.width === 0) continue;
            const kids = [...el.children];
            if (kids.some((c) => c.getBoundingClientRect().right > limit + 0.5)) continue;
            if (el.closest(".grid-scroll, .table-wrap")) continue;
            const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
              + (el.className && typeof el.className === "string"
                 ? "." + el.className.trim().split(/\\s+/).join(".") : "");
            const size = `${Math.round(r.width)}px wide, right edge ${Math.round(r.right)}px`;
            out.push(`${name} (${size})`);
            if (out.length >= most) break;
          }
          return out;
        }""",
        most,
    )
