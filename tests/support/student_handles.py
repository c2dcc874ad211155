"""An in-memory ``StudentHandles`` with DynamoStudentHandles' promises: one tutor per handle, ends only its own."""


class FakeStudentHandles:
    def __init__(self):
        self.children: dict[str, tuple[str, str]] = {}  # handle -> (student email, tutor email)

    def remember(self, handle, student_email, tutor_email):
        self.children[handle] = (student_email, tutor_email)

    def forget(self, handle, tutor_email):
        if self.children.get(handle, ("", ""))[1] == tutor_email:
            del self.children[handle]

    def student_of(self, handle, tutor_email):
        email, tutor = self.children.get(handle, (None, None))
        return email if tutor == tutor_email else None

    def handle_of(self, student_email, tutor_email):
        return next((h for h, pair in self.children.items() if pair == (student_email, tutor_email)), None)
