"""The core working groups of the three Thai cities, and the demo logins.

All people are invented. The group sizes are chosen to show the plan's 10-15 rule: Chiang Rai
12 active members (plus one who left, to show membership history), Hat Yai 13, Udon Thani 8
(below the minimum, so the size warning appears). Emails are built on example.org by the
loader, so no demo address can reach a real inbox.
"""
from collections import namedtuple

# org: a key of network_data.CITY_ORGANISATIONS[city]; role: chair, secretary or member;
# left: True for the one member whose membership has ended.
Member = namedtuple(
    "Member", "name_th name_en gender org sector position phone role left", defaults=(False,)
)

PEOPLE = {
    "chiang-rai": [
        Member("ประเสริฐ แก้วมูล", "Prasert Kaewmoon", "male", "municipality", "administration",
               "รองนายกเทศมนตรีนครเชียงราย", "053-711-301", "chair"),
        Member("ศิริพร ใจมา", "Siriporn Jaima", "female", "municipality", "environment",
               "นักวิชาการสิ่งแวดล้อมชำนาญการ กองสาธารณสุขและสิ่งแวดล้อม", "053-711-335",
               "secretary"),
        Member("วิชัย สุริยะวงศ์", "Wichai Suriyawong", "male", "municipality", "infrastructure",
               "วิศวกรโยธา กองช่าง", "053-711-342", "member"),
        Member("อัมพร ชัยมงคล", "Amporn Chaimongkhon", "female", "municipality", "health",
               "หัวหน้าฝ่ายบริการสาธารณสุข", "053-711-318", "member"),
        Member("อรุณี ปัญญาวงศ์", "Arunee Panyawong", "female", "university", "education",
               "อาจารย์ สำนักวิชาวิทยาศาสตร์", "053-916-771", "member"),
        Member("ธนพล ศรีวิชัย", "Thanaphon Sriwichai", "male", "university", "environment",
               "ผู้ช่วยศาสตราจารย์ สำนักวิชาวิทยาศาสตร์", "053-916-784", "member"),
        Member("สุนทร คำแสน", "Sunthon Khamsaen", "male", "environment", "environment",
               "นักวิชาการสิ่งแวดล้อม", "053-177-204", "member"),
        Member("กาญจนา ทองคำ", "Kanchana Thongkham", "female", "disaster", "disaster",
               "นักวิเคราะห์นโยบายและแผน", "053-150-116", "member"),
        Member("บุญเรือง ธรรมวงศ์", "Boonruang Thammawong", "male", "community", "social",
               "ประธานเครือข่ายชุมชนริมแม่น้ำกก", "081-960-2417", "member"),
        Member("จันทร์เพ็ญ วงศ์ไชย", "Janphen Wongchai", "female", "community", "social",
               "ผู้ประสานงานเครือข่าย", "089-553-1762", "member"),
        Member("สมบัติ เตชะวงศ์", "Sombat Techawong", "male", "business", "economy",
               "รองประธานหอการค้าจังหวัดเชียงราย", "081-883-0925", "member"),
        Member("ปิยะนุช สายสุวรรณ", "Piyanuch Saisuwan", "female", "media", "other",
               "ผู้สื่อข่าว", "086-114-3580", "member"),
        Member("มานพ ยอดคำ", "Manop Yodkham", "male", "municipality", "water",
               "หัวหน้างานระบายน้ำ กองช่าง", "053-711-347", "member", left=True),
    ],
    "hat-yai": [
        Member("ไพโรจน์ สุวรรณรัตน์", "Phairot Suwannarat", "male", "municipality",
               "administration", "ปลัดเทศบาลนครหาดใหญ่", "074-200-001", "chair"),
        Member("วรรณา ศรีสุข", "Wanna Srisuk", "female", "municipality", "planning",
               "นักวิเคราะห์นโยบายและแผนชำนาญการ", "074-200-046", "secretary"),
        Member("สมศักดิ์ เพชรรัตน์", "Somsak Phetcharat", "male", "municipality", "disaster",
               "หัวหน้าฝ่ายป้องกันและบรรเทาสาธารณภัย", "074-200-199", "member"),
        Member("สุภาพร ลิ่มสกุล", "Supaporn Limsakul", "female", "municipality", "health",
               "พยาบาลวิชาชีพชำนาญการ กองสาธารณสุขและสิ่งแวดล้อม", "074-200-072", "member"),
        Member("ชนิดา ทองสุข", "Chanida Thongsuk", "female", "university", "water",
               "อาจารย์ ภาควิชาวิศวกรรมโยธา คณะวิศวกรรมศาสตร์", "074-287-113", "member"),
        Member("ประพันธ์ แก้วประดิษฐ์", "Praphan Kaewpradit", "male", "university",
               "environment", "ผู้ช่วยศาสตราจารย์ คณะการจัดการสิ่งแวดล้อม", "074-286-829",
               "member"),
        Member("นูรีดา สาและ", "Nurida Salae", "female", "university", "health",
               "อาจารย์ ภาควิชาเวชศาสตร์ชุมชน คณะแพทยศาสตร์", "074-451-165", "member"),
        Member("อนันต์ ชูช่วย", "Anan Chuchuay", "male", "irrigation", "water",
               "วิศวกรชลประทานชำนาญการ", "074-311-084", "member"),
        Member("มณีรัตน์ จันทร์แก้ว", "Maneerat Jankaew", "female", "environment", "environment",
               "นักวิชาการสิ่งแวดล้อมชำนาญการ", "074-312-522", "member"),
        Member("ธีระ บุญช่วย", "Thira Boonchuay", "male", "disaster", "disaster",
               "เจ้าพนักงานป้องกันและบรรเทาสาธารณภัยชำนาญงาน", "074-326-930", "member"),
        Member("สมาน หลีเส็น", "Saman Leesen", "male", "community", "social",
               "ประธานเครือข่ายชุมชนคลองอู่ตะเภา", "081-698-2273", "member"),
        Member("ฟาตีมะห์ เจ๊ะหมัด", "Fatimah Chemat", "female", "community", "social",
               "แกนนำชุมชน", "087-294-6618", "member"),
        Member("กิตติพงษ์ ตันติวงศ์", "Kittiphong Tantiwong", "male", "business", "economy",
               "กรรมการหอการค้าจังหวัดสงขลา", "081-540-7791", "member"),
    ],
    "udon-thani": [
        Member("ชาญชัย ศรีสุวรรณ", "Chanchai Srisuwan", "male", "municipality", "administration",
               "รองนายกเทศมนตรีนครอุดรธานี", "042-325-101", "chair"),
        Member("พัชรินทร์ พลพิทักษ์", "Patcharin Phonphithak", "female", "municipality",
               "environment", "นักวิชาการสิ่งแวดล้อมชำนาญการ", "042-325-176", "secretary"),
        Member("สุรพล บุญมา", "Suraphon Boonma", "male", "municipality", "water",
               "หัวหน้างานระบายน้ำ กองช่าง", "042-325-143", "member"),
        Member("นงลักษณ์ ภูมิสิงห์", "Nonglak Phumising", "female", "university", "education",
               "อาจารย์ คณะวิทยาศาสตร์", "042-211-040", "member"),
        Member("ทองใบ ศรีหาวงศ์", "Thongbai Srihawong", "male", "disaster", "disaster",
               "เจ้าพนักงานป้องกันและบรรเทาสาธารณภัย", "042-245-602", "member"),
        Member("เกศินี แสนสุข", "Kesinee Saensuk", "female", "environment", "environment",
               "นักวิชาการสิ่งแวดล้อม", "042-222-318", "member"),
        Member("บุญมี ไชยสิทธิ์", "Boonmee Chaiyasit", "male", "community", "social",
               "ประธานชุมชน", "089-861-4420", "member"),
        Member("วีระพงษ์ ธนวัฒน์", "Weerapong Thanawat", "male", "business", "economy",
               "เลขาธิการหอการค้าจังหวัดอุดรธานี", "081-262-9035", "member"),
    ],
}

# How long the member who left stayed, in months after the plan start: long enough to have
# attended the launch and SLD 1, then transferred out of the province.
LEFT_AFTER_MONTHS = 3

# The demo accounts' published password (README), not a secret.
PASSWORD = "demo-pass-2553"  # nosec B105

# username -> (first name, last name, role, scope). Scope is "network" for network roles or a
# city slug. City users carry the name of the person they are in that city's group; "member"
# is also linked to that Person record (`person`), so "my working group" has someone to show.
USERS = {
    "tei": ("กนกวรรณ", "รัตนพันธ์", "national_coordinator", "network"),
    "chiangrai": ("ศิริพร", "ใจมา", "city_coordinator", "chiang-rai"),
    "hatyai": ("วรรณา", "ศรีสุข", "city_coordinator", "hat-yai"),
    "udon": ("พัชรินทร์", "พลพิทักษ์", "city_coordinator", "udon-thani"),
    "member": ("วิชัย", "สุริยะวงศ์", "working_group_member", "chiang-rai"),
    "expert": ("ประพันธ์", "แก้วประดิษฐ์", "expert", "hat-yai"),
    "proponent": ("จันทร์เพ็ญ", "วงศ์ไชย", "proponent", "chiang-rai"),
    "funder": ("นิตยา", "สุขประเสริฐ", "funder_reviewer", "network"),
}
LINKED_PERSON = {"member": "วิชัย สุริยะวงศ์"}
ADMIN = ("admin", "ผู้ดูแล", "ระบบ")
