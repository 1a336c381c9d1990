; smc: self-modifying kernel code at every distance, with paging on and an alias of the
; code frame; every result goes to the console and into a checksum, the exit code.
        .entry  start
        .equ    CONSOLE, 0x3f8
        .equ    EXIT, 0xf4
        .equ    PD, 0x100000
        .equ    PT, 0x101000
        .equ    ALIAS, 0x300000          ; a second virtual page of the frame of `page2`
start:  mov     sp, 0x80000
        mov     r6, 0                    ; checksum
        ; identity map 4 MiB, all rw user
        mov     r0, 0
        mov     r1, PT
ident:  mov     r2, r0
        or      r2, 7
        st      [r1], r2
        add     r1, 4
        add     r0, 4096
        cmp     r0, 0x400000
        jb      ident
        mov     r0, PT | 7
        st      [PD], r0
        ; ALIAS maps page2's frame
        mov     r0, page2
        or      r0, 7
        st      [PT + (ALIAS >> 10)], r0
        mov     r0, PD
        mov     cr3, r0
        mov     r0, 0x80000001
        mov     cr0, r0

        ; 1. same block: patch the next instruction's immediate
        mov     r5, 0
t1:     mov     r2, 0x11
        st      [p1 + 4], r2
p1:     mov     r1, 0x99
        add     r6, r1
        add     r5, 1
        cmp     r5, 3
        jb      t1
        call    show

        ; 2. a loop patching a later instruction in its body, several times
        mov     r5, 0
t2:     mov     r2, r5
        add     r2, 0x20
        st      [p2 + 4], r2
        nop
        nop
p2:     add     r6, 0
        add     r5, 1
        cmp     r5, 5
        jb      t2
        mov     r1, r6
        call    show

        ; 3. patch code on the next page, run it, patch it again (opcode byte too)
        call    page2
        add     r6, r1
        mov     r2, 0x123
        st      [page2 + 4], r2
        call    page2
        add     r6, r1
        mov     r2, 0x18                ; xor r1, r1 : opcode XOR_RR 0x18, rd 1 rs 1
        mov     r2, 0x1118
        st      [page2], r2
        call    page2
        add     r6, r1
        call    show

        ; 4. through the alias: write ALIAS, run page2
        mov     r2, 0x0102              ; mov r1, imm
        st      [ALIAS], r2
        mov     r2, 0x777
        st      [ALIAS + 4], r2
        call    page2
        add     r6, r1
        mov     r2, 0x55
        stb     [ALIAS + 4], r2
        call    page2
        add     r6, r1
        ; and run the alias after a write through the identity page
        mov     r2, 0x4242
        st      [page2 + 4], r2
        call    ALIAS
        add     r6, r1
        call    show

        ; 5. a jump table through registers, the table in the code page, rewritten
        mov     r5, 0
t5:     mov     r3, r5
        and     r3, 3
        shl     r3, 2
        add     r3, table
        ld      r3, [r3]
        call    r3
        add     r6, r1
        ; rotate the table
        ld      r2, [table]
        ld      r3, [table + 4]
        st      [table], r3
        ld      r3, [table + 8]
        st      [table + 4], r3
        ld      r3, [table + 12]
        st      [table + 8], r3
        st      [table + 12], r2
        add     r5, 1
        cmp     r5, 9
        jb      t5
        mov     r1, r6
        call    show

        ; 6. code built on the stack and run there
        push    0
        push    0x4a            ; ret
        push    0x314
        push    0x0102          ; mov r1, 0x314
        call    sp
        add     sp, 16
        add     r6, r1
        call    show

        ; 7. an instruction straddling a page, its immediate rewritten in the next page
        call    strad
        add     r6, r1
        mov     r2, 0x6060
        st      [strad + 4], r2
        call    strad
        add     r6, r1
        call    show

        mov     r0, r6
        and     r0, 0xff
        out     EXIT, r0

        .include "lib/show.s"

f0:     mov     r1, 1
        ret
f1:     mov     r1, 10
        ret
f2:     mov     r1, 100
        ret
f3:     mov     r1, 1000
        ret
table:  .word   f0, f1, f2, f3

        .align  4096
page2:  mov     r1, 0x5
        ret
        .space  4096 - 16 - 4
strad:  mov     r1, 0x31
        ret
