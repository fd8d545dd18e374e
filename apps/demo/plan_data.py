"""The ACCCRN Thailand phase 2 activity plan, transcribed from the Thai seed document.

Each activity's Thai texts are the seed's own bullets (line breaks inside a bullet joined, the
typo "กิกรรม" fixed); the English texts are translations. The seed puts what happens and the
expected outputs in two columns; `description` holds the first, `outputs` the second, one
bullet per line. Windows are written against the plan's reference month, December 2009.

Each Thai bullet stays on one source line, however long, so it can be compared with the seed
word for word (a string split across lines in Thai invites a lost or doubled character).
"""
import datetime as dt

from apps.plans.models import ActivityKind, Lead

PLAN = {
    "code": "acccrn-th-phase2",
    "version": 1,
    "name_th": "กิจกรรมโครงการ ACCCRN ประเทศไทย ระยะที่ 2",
    "name_en": "ACCCRN Thailand phase 2 activity plan",
    "reference_start": dt.date(2009, 12, 1),
}

D = dt.date
M, WG, TEI, EXP, ISET, FUND, PART = (
    Lead.MUNICIPALITY, Lead.WORKING_GROUP, Lead.TEI, Lead.EXPERTS, Lead.ISET, Lead.FUNDER,
    Lead.PARTNERS,
)

ACTIVITIES = [
    {
        "number": 1, "kind": ActivityKind.GROUP, "leads": [M],
        "name_th": "การจัดตั้งคณะทำงาน ระดับเมือง",
        "name_en": "City core working group",
        "description_th": [
            "คณะทำงาน จากหน่วยงานและภาคีที่เกี่ยวข้อง จำนวน 10 – 15 คน",
            "คณะทำงานดังกล่าว ควรเข้าร่วมกิจกรรม และ/หรือ เวทีแลกเปลี่ยนเรียนรู้ (SLD) ที่จะจัดขึ้นตลอดระยะเวลาโครงการ",
        ],
        "description_en": [
            "A working group of 10-15 people from the agencies and partners concerned",
            "The working group should take part in the activities and/or the Shared Learning "
            "Dialogues (SLD) held throughout the project",
        ],
        "outputs_th": [
            "คณะทำงานมีความรู้และเข้าใจ เรื่องของการเปลี่ยนแปลงสภาพภูมิอากาศ ผลกระทบ รวมทั้งมีการแลกเปลี่ยนข้อมูล และความคิดเห็นต่อประเด็นผลกระทบ และความเสี่ยงที่เมืองจะได้รับ จากการเปลี่ยนแปลงสภาพภูมิอากาศ เพื่อนำไปสู่การกำหนดยุทธศาสตร์ ในการรับมือต่อประเด็นดังกล่าวต่อไป",
        ],
        "outputs_en": [
            "The working group knows and understands climate change and its impacts, and "
            "exchanges information and views on the impacts and risks the city faces from "
            "climate change, leading on to a strategy for responding to them",
        ],
        "window_th": "ธันวาคม 2552", "window_en": "December 2009",
        "window_start": D(2009, 12, 1), "window_end": D(2009, 12, 31),
    },
    {
        "number": 2, "kind": ActivityKind.EVENT, "leads": [M, WG], "participant_cap": 80,
        "name_th": "กิจกรรมเปิดตัวโครงการ",
        "name_en": "Project launch",
        "description_th": [
            "เทศบาลและคณะทำงานร่วมกันเชิญ และจัดงานเปิดตัวโครงการฯ ในพื้นที่ (จำนวนไม่เกิน 80 คน)",
            "การชี้แจงทำความเข้าใจโครงการ กระบวนการดำเนินโครงการ บทบาทและหน้าที่ของหน่วยงานและภาคีต่างๆ",
        ],
        "description_en": [
            "The municipality and the working group jointly invite participants to and hold "
            "the project launch in the city (at most 80 people)",
            "A briefing on the project, how it will be carried out, and the roles and duties "
            "of the agencies and partners",
        ],
        "outputs_th": [
            "คณะทำงานและหน่วยงานภาคีมีความเข้าใจโครงการ วัตถุประสงค์ และการทำกิจกรรมต่างๆ ภายใต้โครงการ เช่น SLD รวมทั้งบทบาทและหน้าที่ของตนเองต่อการดำเนินโครงการ",
        ],
        "outputs_en": [
            "The working group and partner agencies understand the project, its objectives "
            "and its activities, such as the SLDs, and their own roles and duties in it",
        ],
        "window_th": "1 วัน ช่วงเดือนมกราคม", "window_en": "1 day in January",
        "window_start": D(2010, 1, 1), "window_end": D(2010, 1, 31),
    },
    {
        "number": 3, "kind": ActivityKind.EVENT, "leads": [M, WG, TEI], "participant_cap": 50,
        "name_th": "สัมมนาเรื่อง การเปลี่ยนแปลงสภาพภูมิอากาศ",
        "name_en": "Climate change seminar",
        "description_th": [
            "เทศบาลและคณะทำงานร่วมกันเชิญและจัดงานสัมมนาในพื้นที่ (จำนวนไม่เกิน 50 คน) โดยสถาบันสิ่งแวดล้อมไทยจะช่วยในด้านวิชาการ และการเชิญวิทยากร",
        ],
        "description_en": [
            "The municipality and the working group jointly invite participants to and hold "
            "a seminar in the city (at most 50 people); the Thailand Environment Institute "
            "helps with the technical content and with inviting speakers",
        ],
        "outputs_th": [
            "เทศบาลและคณะทำงานมีความรู้ ความเข้าใจในเรื่องการเปลี่ยนแปลงสภาพภูมิอากาศ และผลกระทบที่เกิดขึ้น และสามารถเชื่อมโยงสู่ระดับท้องถิ่น/เมืองของตนเองได้",
        ],
        "outputs_en": [
            "The municipality and the working group know and understand climate change and "
            "its impacts, and can relate them to their own locality/city",
        ],
        "window_th": "1 วัน ช่วงเดือนมกราคม", "window_en": "1 day in January",
        "window_start": D(2010, 1, 1), "window_end": D(2010, 1, 31),
    },
    {
        "number": 4, "kind": ActivityKind.SLD, "leads": [WG],
        "name_th": "SLD 1",
        "name_en": "Shared Learning Dialogue 1 (SLD 1)",
        "description_th": [
            "คณะทำงานจะต้องเข้าร่วม SLD เพื่อนำเสนอ แลกเปลี่ยนและระดมความคิดเห็น ต่อเรื่องการเปลี่ยนแปลงสภาพภูมิอากาศ ผลกระทบ และความเสี่ยงที่เมืองจะได้รับต่อประเด็นดังกล่าว",
            "คณะทำงานร่วมกันกำหนด และจัดลำดับความต้องการ ที่เกี่ยวข้อง ต่อประเด็นการเปลี่ยนแปลงสภาพภูมิอากาศ",
        ],
        "description_en": [
            "The working group takes part in the SLD to present, exchange and brainstorm "
            "views on climate change, its impacts and the risks the city faces from them",
            "The working group jointly defines and ranks the related needs on climate change",
        ],
        "outputs_th": [
            "ประเด็นผลกระทบหรือความเสี่ยง ที่เมืองได้รับจากการเปลี่ยนแปลงสภาพภูมิอากาศ",
            "กลุ่ม และพื้นที่เสี่ยงภัย เพื่อนำไปสู่การกำหนดพื้นที่ในการศึกษา และประเมินผลกระทบต่อไป",
            "สถาบันวิชาการ และผู้เชี่ยวชาญที่จะเข้ามาศึกษา และประเมินผลกระทบของเมือง",
        ],
        "outputs_en": [
            "The impacts or risks the city faces from climate change",
            "Vulnerable groups and risk areas, leading to the areas to be studied and "
            "assessed next",
            "The academic institutions and experts who will study and assess the city's impacts",
        ],
        "window_th": "1 วัน ช่วงเดือนกุมภาพันธ์", "window_en": "1 day in February",
        "window_start": D(2010, 2, 1), "window_end": D(2010, 2, 28),
    },
    {
        "number": 5, "kind": ActivityKind.STUDY, "leads": [EXP],
        "name_th": "การประเมินผลกระทบและความเสี่ยง",
        "name_en": "Climate vulnerability assessment",
        "description_th": [
            "สถาบันวิชาการ/ผู้เชี่ยวชาญ ทำการศึกษาและประเมินผลกระทบ ตามประเด็นที่กำหนดขึ้นจากการทำ SLD 1",
        ],
        "description_en": [
            "Academic institutions/experts study and assess the impacts on the issues set at "
            "SLD 1",
        ],
        "outputs_th": [
            "กลุ่มและพื้นที่เสี่ยงภัยจากผลกระทบ จากการเปลี่ยนแปลงสภาพภูมิอากาศ",
            "ขอบเขต สถานการณ์ และแนวโน้มของผลกระทบ",
        ],
        "outputs_en": [
            "Groups and areas vulnerable to the impacts of climate change",
            "The scope, scenarios and trends of the impacts",
        ],
        "window_th": "4-6 สัปดาห์ ช่วงเดือนเมษายน-พฤษภาคม", "window_en": "4-6 weeks, April-May",
        "window_start": D(2010, 4, 1), "window_end": D(2010, 5, 31),
    },
    {
        "number": 6, "kind": ActivityKind.WORKSHOP, "leads": [ISET],
        "network_wide": True, "cap_per_city": 2,
        "location_th": "กรุงเทพฯ", "location_en": "Bangkok",
        "name_th": "การประชุมเชิงปฏิบัติการ 10 เมืองเครือข่าย ACCCRN เรื่อง “เทคนิคการวางแผน การรับมือกับผลกระทบจากการเปลี่ยนแปลงสภาพภูมิอากาศ”",
        "name_en": "ACCCRN city-partner resilience planning methods workshop",
        "description_th": [
            "จัดโดย ISET โดยเมืองจะต้องเตรียมข้อมูลพื้นฐาน (จะแจ้งรายละเอียดให้ทราบอีกครั้ง) ที่จะนำไปใช้กับเทคนิค และเครื่องมือที่เตรียมโดย ISET เพื่อจัดทำร่างแผนการรับมือกับผลกระทบ จากการเปลี่ยนแปลงสภาพภูมิอากาศ",
            "เมืองส่งตัวแทนคณะทำงาน เมืองละ 2 คนเข้าร่วมการประชุมเชิงปฏิบัติการดังกล่าว (ใช้ภาษาอังกฤษในการดำเนินการประชุม)",
        ],
        "description_en": [
            "Organised by ISET; each city prepares baseline data (details to follow) for use "
            "with the techniques and tools ISET prepares, to draft a plan for responding to "
            "the impacts of climate change",
            "Each city sends 2 representatives of its working group to the workshop (held in "
            "English)",
        ],
        "outputs_th": [
            "ผู้เข้าร่วมประชุมมีความเข้าใจ การจัดทำแผนการรับมือ กับผลกระทบ จากการเปลี่ยนแปลงสภาพภูมิอากาศ และสามารถนำไปปรับใช้กับการวางแผนฯ ที่เหมาะสมกับเมืองของตนเอง",
        ],
        "outputs_en": [
            "Participants understand how to prepare a plan for responding to climate change "
            "impacts and can adapt it to planning suited to their own city",
        ],
        "window_th": "9-12 มีนาคม 2553 กรุงเทพฯ", "window_en": "9-12 March 2010, Bangkok",
        "window_start": D(2010, 3, 9), "window_end": D(2010, 3, 12),
    },
    {
        "number": 7, "kind": ActivityKind.SLD, "leads": [WG, EXP],
        "name_th": "SLD 2",
        "name_en": "Shared Learning Dialogue 2 (SLD 2)",
        "description_th": [
            "คณะทำงานเข้าร่วมกิจกรรม SLD 2 เพื่อรับฟังผลการศึกษาและประเมินผลกระทบ ที่สถาบันวิชาการ/ผู้เชี่ยวชาญทำการศึกษา",
            "กำหนดและศึกษาผลกระทบซึ่งเป็นประเด็นยุทธศาสตร์ที่คณะทำงานเห็นพ้องร่วมกัน",
            "นำเสนอรูปแบบโครงการนำร่อง ตามความเหมาะสม และความต้องการของเมืองตามประเด็นยุทธศาสตร์",
        ],
        "description_en": [
            "The working group takes part in SLD 2 to hear the results of the study and "
            "impact assessment by the academic institutions/experts",
            "Define and study the impacts that are the strategic issues the working group "
            "agrees on",
            "Present pilot project models suited to the city's needs on the strategic issues",
        ],
        "outputs_th": [
            "พื้นที่เสี่ยงภัยจากผลกระทบ",
            "ประเด็นปัญหา/ผลกระทบที่เมืองได้รับ",
            "ความต้องการ และการจัดลำดับความสำคัญ ของโครงการนำร่อง",
        ],
        "outputs_en": [
            "Areas at risk from the impacts",
            "The problems/impacts the city faces",
            "The needs for pilot projects, ranked by priority",
        ],
        "window_th": "1 วัน ช่วงเดือนพฤษภาคม", "window_en": "1 day in May",
        "window_start": D(2010, 5, 1), "window_end": D(2010, 5, 31),
    },
    {
        "number": 8, "kind": ActivityKind.STUDY, "leads": [EXP],
        "name_th": "การศึกษาประเด็นยุทธศาสตร์ ว่าด้วยผลกระทบ จากการเปลี่ยนแปลงสภาพภูมิอากาศ",
        "name_en": "Sector studies",
        "description_th": [
            "ผู้เชี่ยวชาญทำการศึกษา และประเมินผลกระทบฯ ที่เป็นประเด็นยุทธศาสตร์ ตามที่ได้รับการคัดเลือกจากคณะทำงาน",
        ],
        "description_en": [
            "Experts study and assess the impacts on the strategic issues the working group "
            "selected",
        ],
        "outputs_th": [
            "ความรู้ ความเข้าใจเกี่ยวกับผลกระทบหลัก จากการเปลี่ยนแปลงสภาพภูมิอากาศ",
            # The seed has "ความ สัมพันธ์", a word split by the document's layout.
            "เมืองสามารถเชื่อมโยงความสัมพันธ์ระหว่างประเด็นผลกระทบต่างๆ กับการเปลี่ยนแปลงสภาพภูมิอากาศได้",
        ],
        "outputs_en": [
            "Knowledge and understanding of the main impacts of climate change",
            "The city can relate the various impacts to climate change",
        ],
        "window_th": "6-8 สัปดาห์ ช่วงเดือนเมษายน-พฤษภาคม", "window_en": "6-8 weeks, April-May",
        "window_start": D(2010, 4, 1), "window_end": D(2010, 5, 31),
    },
    {
        "number": 9, "kind": ActivityKind.PROPOSALS, "leads": [WG, PART], "participant_cap": 50,
        "name_th": "การทำข้อเสนอโครงการ",
        "name_en": "Call for pilot project proposals",
        "description_th": [
            "คณะทำงานจัดประชุม เพื่อเปิดโอกาสให้หน่วยงานภาคี หรือหน่วยงานต่างๆ ร่วมส่งข้อเสนอโครงการนำร่อง ที่สามารถรับมือกับผลกระทบหรือความเสี่ยงที่ได้จากการศึกษาในเบื้องต้น (จำนวนไม่เกิน 50 คน)",
        ],
        "description_en": [
            "The working group holds a meeting inviting partner and other agencies to submit "
            "pilot project proposals that respond to the impacts or risks found in the "
            "initial studies (at most 50 people)",
        ],
        "outputs_th": [
            "ข้อเสนอ/ตัวอย่างโครงการนำร่อง ที่นำเสนอจากคณะทำงาน หน่วยงานภาคี หรือหน่วยงานต่างๆ",
        ],
        "outputs_en": [
            "Pilot project proposals/examples put forward by the working group, partner "
            "agencies and other agencies",
        ],
        "window_th": "½ วัน ช่วงเดือนพฤษภาคม", "window_en": "Half a day in May",
        "window_start": D(2010, 5, 1), "window_end": D(2010, 5, 31),
    },
    {
        "number": 10, "kind": ActivityKind.SELECTION, "leads": [WG, FUND, TEI],
        "participant_cap": 50,
        "name_th": "การคัดเลือกโครงการนำร่อง",
        "name_en": "Pilot project selection",
        "description_th": [
            "คณะทำงานจัดประชุมเพื่อคัดเลือกโครงการนำร่องที่มีความเหมาะสม และตรงกับความต้องการของเมือง (จำนวนไม่เกิน 50 คน)",
        ],
        "description_en": [
            "The working group holds a meeting to select pilot projects that are suitable "
            "and meet the city's needs (at most 50 people)",
        ],
        "outputs_th": [
            "โครงการนำร่องที่มีความเหมาะสมจำนวนหนึ่ง เพื่อเสนอของบประมาณสนับสนุน",
            "โครงการนำร่อง 1-2 โครงการ โดยผ่านการคัดเลือกจากมูลนิธิร็อคกี้เฟลเลอร์ และสถาบันสิ่งแวดล้อมไทย",
        ],
        "outputs_en": [
            "A shortlist of suitable pilot projects to put forward for funding",
            "1-2 pilot projects selected by the Rockefeller Foundation and the Thailand "
            "Environment Institute",
        ],
        "window_th": "½ วัน ช่วงเดือนมิถุนายน", "window_en": "Half a day in June",
        "window_start": D(2010, 6, 1), "window_end": D(2010, 6, 30),
    },
    {
        "number": 11, "kind": ActivityKind.IMPLEMENTATION, "leads": [M],
        "name_th": "การดำเนินโครงการนำร่อง",
        "name_en": "Pilot project implementation",
        "description_th": [
            "เมืองดำเนินโครงการนำร่อง ตามแผนที่เสนอ",
        ],
        "description_en": [
            "The city carries out the pilot project according to the proposed plan",
        ],
        "outputs_th": [
            "การเก็บรวบรวมบทเรียน ประสบการณ์จากการดำเนินโครงการนำร่อง ซึ่งเป็น “ตัวอย่างที่ดี” เพื่อใช้เผยแพร่แก่เมืองอื่นๆ ต่อไป",
        ],
        "outputs_en": [
            "Lessons and experience gathered from the pilot project as “good practice” to "
            "share with other cities",
        ],
        "window_th": "กรกฎาคม เป็นต้นไป", "window_en": "July onwards",
        "window_start": D(2010, 7, 1), "window_end": None,
    },
    {
        "number": 12, "kind": ActivityKind.SLD, "leads": [WG],
        "name_th": "SLD 3",
        "name_en": "Shared Learning Dialogue 3 (SLD 3)",
        "description_th": [
            "คณะทำงานเข้าร่วมกิจกรรม SLD 3 เพื่อรวบรวมและสรุปผลการศึกษา และประเมินความเสี่ยงที่ผู้เชี่ยวชาญได้ทำการศึกษามา รวมทั้งติดตามความก้าวหน้าในการดำเนินโครงการนำร่อง",
            "กำหนดและพัฒนากรอบแนวทางการติดตามและประเมินผล ที่เกิดขึ้นจากการดำเนินโครงการนำร่อง",
        ],
        "description_en": [
            "The working group takes part in SLD 3 to compile and summarise the experts' "
            "studies and risk assessments, and to follow the progress of the pilot projects",
            "Define and develop a framework for monitoring and evaluating the pilot projects",
        ],
        "outputs_th": [
            "เกณฑ์และตัวชี้วัดที่จะใช้ในการติดตามประเมิน ผลโครงการนำร่อง",
            "เอกสารรวบรวมผลการศึกษา การดำเนินงาน บทเรียน และประสบการณ์จากการดำเนินงานโครงการ ที่จะเป็น “นวัตกรรม”หรือ “ตัวอย่างที่ดี”",
        ],
        "outputs_en": [
            "Criteria and indicators for monitoring and evaluating the pilot projects",
            "A document compiling the studies, the work done, and the lessons and experience "
            "of the project that can serve as “innovation” or “good practice”",
        ],
        "window_th": "1 วัน ช่วงเดือนกรกฎาคม", "window_en": "1 day in July",
        "window_start": D(2010, 7, 1), "window_end": D(2010, 7, 31),
    },
    {
        "number": 13, "kind": ActivityKind.MONITORING, "leads": [EXP],
        "name_th": "การติดตามประเมินผลโครงการนำร่อง",
        "name_en": "Pilot project monitoring and evaluation",
        "description_th": [
            "การติดตามความก้าวหน้าและประเมินผลการดำเนินโครงการนำร่อง โดยผู้เชี่ยวชาญ",
        ],
        "description_en": [
            "Experts follow the progress of the pilot projects and evaluate them",
        ],
        "outputs_th": [
            "ผลที่เกิดขึ้นจากการโครงการนำร่อง ซึ่งสามารถบ่งชี้ได้ว่าเมืองสามารถรับมือ กับผลกระทบจากการเปลี่ยนแปลงสภาพภูมิอากาศ",
            "ยุทธศาสตร์การพัฒนาเมืองเพื่อรับมือ กับผลกระทบจากการเปลี่ยนแปลงสภาพภูมิอากาศ",
        ],
        "outputs_en": [
            "Results of the pilot projects showing that the city can cope with the impacts "
            "of climate change",
            "A city development strategy for responding to the impacts of climate change",
        ],
        "window_th": "สิงหาคมเป็นต้นไป", "window_en": "August onwards",
        "window_start": D(2010, 8, 1), "window_end": None,
    },
    {
        "number": 14, "kind": ActivityKind.FORUM, "leads": [TEI],
        "name_th": "การสัมมนาระดับประเทศ",
        "name_en": "National forum",
        "description_th": [
            "สถาบันสิ่งแวดล้อมไทยจะจัดสัมมนาระดับประเทศ ซึ่งผู้เข้าร่วมจะประกอบด้วย ผู้แทนจากหน่วยงานต่างๆ ที่เกี่ยวข้อง/ หน่วยงานระดับนโยบาย เพื่อเป็นเวทีในการประสาน และนำเสนอผลการดำเนินโครงการ ได้แก่ ผลกระทบและความเสี่ยงในระดับเมือง กลุ่มและพื้นที่เสี่ยง รวมทั้งความต้องการของเมือง เพื่อผลักดันเข้าสู่ระดับนโยบาย",
        ],
        "description_en": [
            "The Thailand Environment Institute holds a national forum for representatives "
            "of the agencies concerned and of policy-level agencies, as a platform to "
            "coordinate and present the project's results (city-level impacts and risks, "
            "vulnerable groups and areas, and the cities' needs) and to take them to "
            "policy level",
        ],
        "outputs_th": [
            "การสนับสนุนจากหน่วยงานระดับนโยบาย ต่อการดำเนินการของเมือง เพื่อรับมือกับผลกระทบ จากการเปลี่ยนแปลงสภาพภูมิอากาศ",
            "การวิเคราะห์ผลกระทบ จากการเปลี่ยนแปลงสภาพภูมิอากาศ และผู้มีส่วนได้ส่วนเสีย",
        ],
        "outputs_en": [
            "Support from policy-level agencies for the cities' work on responding to the "
            "impacts of climate change",
            "An analysis of climate change impacts and of stakeholders",
        ],
        "window_th": "1 วัน ช่วงเดือนสิงหาคม", "window_en": "1 day in August",
        "window_start": D(2010, 8, 1), "window_end": D(2010, 8, 31),
    },
    {
        "number": 15, "kind": ActivityKind.STRATEGY, "leads": [M, WG],
        "name_th": "การพัฒนายุทธศาสตร์การรับมือ กับการเปลี่ยนแปลงสภาพภูมิอากาศ และการพัฒนาข้อเสนอโครงการ",
        "name_en": "Resilience strategy and project proposals",
        "description_th": [
            "การจัดทำยุทธศาสตร์การรับมือ กับการเปลี่ยนแปลงสภาพภูมิอากาศ ที่เหมาะสมกับสถานการณ์ และศักยภาพของเมือง",
            "การบูรณาการแผนพัฒนาฯ และยุทธศาสตร์การรับมือ กับการเปลี่ยนแปลงสภาพภูมิอากาศ ที่เหมาะสม กับสถานการณ์และศักยภาพของเมือง",
        ],
        "description_en": [
            "Preparing a climate change resilience strategy suited to the city's situation "
            "and capacity",
            "Integrating the city development plan with a climate change resilience strategy "
            "suited to the city's situation and capacity",
        ],
        "outputs_th": [
            "ข้อเสนอโครงการ /โครงการที่ตอบสนองต่อการรับมือ กับการเปลี่ยนแปลงสภาพภูมิอากาศ เพื่อนำเสนอไปยังแหล่งทุนอื่นๆ",
        ],
        "outputs_en": [
            "Project proposals/projects responding to climate change, to put to other funders",
        ],
        "window_th": "กรกฎาคม – ตุลาคม", "window_en": "July-October",
        "window_start": D(2010, 7, 1), "window_end": D(2010, 10, 31),
    },
]

# activity number -> the numbers it needs finished first
PREREQUISITES = {
    2: [1], 3: [1], 4: [1, 3], 5: [4], 6: [1], 7: [5], 8: [7], 9: [7], 10: [9], 11: [10],
    12: [8, 10], 13: [12], 14: [5, 7], 15: [7, 8],
}
