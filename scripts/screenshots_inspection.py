#!/usr/bin/env python3
"""Regenerate the field-recording screenshots in docs/screenshots/: the inspection form (checklist tab), the
evidence gallery (with a photo taken long before the visit, flagged) and the signature pad with a signature.

Runs the real main window against the embedded reference platform in a throwaway directory, at 1366×768:

    Xvfb :99 -screen 0 1366x768x24 &  DISPLAY=:99 .venv/bin/python scripts/screenshots_inspection.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_inspection.py     # no X server
"""

from __future__ import annotations

import math
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shots import Shots

TARGET, MATTERS = "tgt-xindeng-001", ["FY-SR-002", "FY-SJ-001", "FY-SJ-003"]
OFFICERS = ["off-xindeng-officer", "off-xindeng-officer2"]


def signature_strokes(x0: float, y0: float) -> list[list[tuple[float, float, float]]]:
    """A quick cursive signature with an underline flourish, with pen pressure: (x, y, pressure) per point."""
    body = []
    for i in range(320):
        t = i / 319
        x = x0 + 300 * t + 16 * math.sin(2 * math.pi * 6 * t)
        y = y0 - (38 + 12 * math.sin(2 * math.pi * 1.3 * t)) * math.sin(2 * math.pi * 3 * t + 0.4) * (1 - 0.35 * t)
        body.append((x, y - 20 * t, 0.3 + 0.6 * abs(math.sin(2 * math.pi * 3 * t + 0.4))))
    flourish = [(x0 + 330 - 360 * t, y0 + 30 + 10 * math.sin(math.pi * t) - 6 * t, 0.7 - 0.5 * t)
                for t in (i / 119 for i in range(120))]
    dash = [(x0 + 345 + 2 * i, y0 - 40 + 1.5 * i, 0.6) for i in range(8)]
    return [body, flourish, dash]


def scene_photo(path: Path, when: datetime, seed: int) -> Path:
    """A plausible on-site photo (a shopfront with tables out on the pavement) with EXIF time and GPS."""
    import random

    from PIL import Image, ImageDraw, ImageFont

    rnd = random.Random(seed)
    w, h = 1600, 1200
    img = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    for y in range(h):  # sky to pavement
        k = y / h
        draw.line([(0, y), (w, y)], fill=(int(150 + 60 * k), int(180 + 30 * k), int(215 - 90 * k)))
    wall = (rnd.randint(170, 220), rnd.randint(150, 200), rnd.randint(120, 170))
    draw.rectangle([120, 200, 1480, 820], fill=wall)
    draw.rectangle([560, 420, 1040, 820], fill=(70, 60, 55))  # door
    draw.rectangle([200, 440, 480, 700], fill=(120, 160, 190))  # window
    draw.rectangle([1120, 440, 1400, 700], fill=(120, 160, 190))
    draw.rectangle([300, 250, 1300, 380], fill=(170, 30, 30))  # sign board
    font_path = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    if font_path.exists():
        draw.text((420, 262), "益民餐饮", font=ImageFont.truetype(str(font_path), 96), fill=(255, 225, 120))
    draw.rectangle([0, 820, w, h], fill=(150, 150, 145))  # pavement
    for _ in range(rnd.randint(2, 4)):  # tables and stools out front
        x = rnd.randint(120, 1300)
        draw.rectangle([x, 900, x + 180, 930], fill=(200, 120, 40))
        draw.rectangle([x + 20, 930, x + 35, 1040], fill=(90, 60, 30))
        draw.rectangle([x + 145, 930, x + 160, 1040], fill=(90, 60, 30))
    stamp = (when.astimezone(UTC) + timedelta(hours=8)).strftime("%Y:%m:%d %H:%M:%S")
    exif = Image.Exif()
    exif[0x0132] = stamp
    exif.get_ifd(0x8769)[0x9003] = stamp
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (29.0, 53.0, 12.5), "E", (119.0, 48.0, 3.2)
    img.save(path, exif=exif, quality=88)
    return path


def main() -> int:
    shots = Shots("lxt-shots-insp-")
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QWidget

    from app import changes
    from app.models import InspectionPlan, new_id
    from ui.inspection.form import TAB_BASICS, TAB_CHECKLIST, TAB_EVIDENCE, TAB_PARTY, TAB_SIGN

    tmp = shots.tmp
    shots.platform()
    store = shots.client()
    wait, settle, save = shots.wait, shots.settle, shots.save
    idle = shots.idle

    def over(window: QWidget, dialog: QWidget, name: str) -> None:
        shots.over(window, dialog, name, title_bar=False)

    window, auth = shots.signed_in(store, "xindeng.officer")
    user = auth.current_user()
    with store.write() as s:
        plan = InspectionPlan(id=new_id(), township_id="xindeng", target_id=TARGET, kind="joint",
                              scheduled_at=datetime.now(UTC), lead_department_id="dept_zf",
                              supporting_department_ids=["dept_scjg"], matter_codes=MATTERS,
                              officer_ids=OFFICERS, status="planned", created_by=user.actor)
        changes.record_create(s, plan, actor=user.actor)
    area = window.show_area("inspections")
    assert area is not None
    idle()
    area.start_from_plan(plan.id)
    wait(lambda: area.form.snapshot is not None)
    idle()
    form = area.form
    form.tabs.setCurrentIndex(TAB_BASICS)
    form.basics.place.setText(form.basics.place.text() + "（后厨及门前）")
    form.autosaver.set_field("place", form.basics.place.text())
    form.basics.certificates.setChecked(True)
    form.basics.recusal.setChecked(True)
    form.party.rows["organisation"]["phone"].editor.setText("0571-63321234")
    form.autosaver.set_field("party", form.party.value())
    model = form.checklist_model
    notes = {"是否超出门窗外墙出店经营": "门前出店摆放桌椅约6平方米", "从业人员健康证明是否有效": "2人健康证明已过期"}
    for row, item in enumerate(model.items[:-1]):  # the last item is left for the officer
        model.set_result(row, "violation" if item.text in notes else "compliant")
        if item.text in notes:
            model.setData(model.index(row, 3), notes[item.text])
    form.autosaver.flush()
    idle()
    photos = tmp / "card"
    photos.mkdir()
    now = datetime.now(UTC)
    for i in range(6):
        taken = now - (timedelta(days=2) if i == 4 else timedelta(minutes=3 * i))
        scene_photo(photos / f"IMG_08{i:02d}.JPG", taken, seed=i)
    form.tabs.setCurrentIndex(TAB_CHECKLIST)
    row = next(r for r, it in enumerate(model.items) if it.text == "是否超出门窗外墙出店经营")
    form.checklist.setCurrentIndex(model.index(row, 2))
    form.evidence_for_item([photos / "IMG_0800.JPG", photos / "IMG_0801.JPG"])
    wait(lambda: form.gallery.importer is not None and not form.gallery.importer.running)
    idle()
    form.gallery.import_paths([photos])
    wait(lambda: form.gallery.importer is not None and not form.gallery.importer.running)
    idle()
    form.refresh()
    idle()
    form.tabs.setCurrentIndex(TAB_CHECKLIST)
    form.checklist.setFocus()
    form.checklist.setCurrentIndex(model.index(row, 2))
    settle()
    save(window, "inspection-form.png")

    for tab, name in ((TAB_BASICS, "inspection-basics.png"), (TAB_PARTY, "inspection-party.png")):
        form.tabs.setCurrentIndex(tab)
        settle()
        save(window, name)

    form.tabs.setCurrentIndex(TAB_EVIDENCE)
    form.gallery.view.setFocus()
    far = next(r for r, ev in enumerate(form.gallery.model.rows) if ev.original_name == "IMG_0804.JPG")
    form.gallery.view.setCurrentIndex(form.gallery.model.index(far))
    idle()
    settle(1.0)
    save(window, "evidence-gallery.png")
    preview = form.gallery.preview_current()
    assert preview is not None
    wait(lambda: preview.photo is not None and preview.photo.loaded)
    settle()
    over(window, preview, "evidence-preview.png")
    preview.close()
    form.tabs.setCurrentIndex(TAB_SIGN)
    settle()

    dlg = form.ask_signature("party")
    dlg.resize(760, 400)
    settle()
    pad = dlg.pad
    for stroke in signature_strokes(pad.width() * 0.25, pad.height() * 0.58):
        pad._begin(QPointF(stroke[0][0], stroke[0][1]), stroke[0][2])
        for x, y, p in stroke[1:]:
            pad._extend(QPointF(x, y), p)
        pad._end()
    settle()
    over(window, dlg, "signature-pad.png")
    dlg.close()
    settle()
    for role in ("party", *[f"officer:{o}" for o in OFFICERS]):  # sign, finalise, follow-ups
        sig = form.ask_signature(role)
        strokes = signature_strokes(sig.pad.width() * 0.25 + 20 * len(role) % 60, sig.pad.height() * 0.58)
        for stroke in strokes:
            sig.pad._begin(QPointF(stroke[0][0], stroke[0][1]), stroke[0][2])
            for x, y, pr in stroke[1:]:
                sig.pad._extend(QPointF(x, y), pr)
            sig.pad._end()
        sig._accept()
        idle()
    form.refresh()
    idle()
    save(window, "inspection-signatures.png")
    model.set_result(len(model.items) - 1, "compliant")
    form.basics.end.now.click()
    form.autosaver.flush()
    idle()
    form.finalise()
    wait(lambda: form.snapshot is not None and form.snapshot.finalised and hasattr(form, "follow_up_dialog"))
    idle()
    follow = form.follow_up_dialog
    wait(lambda: bool(follow.options))
    settle()
    over(window, follow, "inspection-followups.png")
    follow.close()

    shots.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
