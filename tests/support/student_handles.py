"""In-memory ``StudentHandles`` and tutor links with the DynamoDB adapters' promises: a newer change wins (a late
approval brings nothing back), one tutor per handle, an end ends only its own tutor's link."""


class FakeTutorLinks:
    def __init__(self):
        self.rows = {}  # student email -> (tutor email, linked, changed at)

    def tutor_of(self, student_email):
        row = self.rows.get(student_email)
        return row[0] if row and row[1] else None

    def change(self, student_email, tutor_email, linked, at):
        row = self.rows.get(student_email)
        if (row is None or row[2] < at) and (linked or row is None or row[0] == tutor_email or not row[1]):
            self.rows[student_email] = (tutor_email, linked, at)

    def erase(self, student_email, tutor_email):
        if self.rows.get(student_email, (tutor_email,))[0] == tutor_email:
            self.rows.pop(student_email, None)


class FakeStudentHandles:
    def __init__(self):
        self.links = FakeTutorLinks()  # keyed by handle; the student's email kept beside it
        self.children: dict[str, tuple[str, str]] = {}  # handle -> (student email, tutor email), while linked

    def remember(self, handle, student_email, tutor_email, at):
        self.links.change(handle, tutor_email, True, at)
        self._follow(handle, student_email)

    def forget(self, handle, student_email, tutor_email, at):
        self.links.change(handle, tutor_email, False, at)
        self._follow(handle, student_email)

    def erase(self, handle, student_email, tutor_email):
        self.links.erase(handle, tutor_email)
        self._follow(handle, student_email)

    def _follow(self, handle, student_email):
        tutor = self.links.tutor_of(handle)
        if tutor:
            self.children[handle] = (student_email, tutor)
        else:
            self.children.pop(handle, None)

    def student_of(self, handle, tutor_email):
        email, tutor = self.children.get(handle, (None, None))
        return email if tutor == tutor_email else None

    def handle_of(self, student_email, tutor_email):
        return next((h for h, pair in self.children.items() if pair == (student_email, tutor_email)), None)
